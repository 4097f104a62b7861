/** The containers the job runtime keeps its state in (created at start-up with the services'). */
import type { ContainerSpec } from '../../domain/ports.ts';

/** Job records: status to poll, lease, dedupe marker. One partition per job. */
export const jobsContainer: ContainerSpec = { name: 'jobs', partitionKey: 'id' };
/** Dead-letter records: the job, its attempts and the last error, until replayed or purged. */
export const deadLettersContainer: ContainerSpec = { name: 'dead-letters', partitionKey: 'id' };
/** The side-effect ledger: one entry per job and effect key. */
export const ledgerContainer: ContainerSpec = { name: 'ledger', partitionKey: 'jobId' };
/** Timer slot claims: `run:<job>:<slot>`. */
export const runsContainer: ContainerSpec = { name: 'runs', partitionKey: 'id' };

export const runtimeContainers = [jobsContainer, deadLettersContainer, ledgerContainer, runsContainer];

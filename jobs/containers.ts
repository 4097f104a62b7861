/** The containers the job runtime keeps its state in (created at start-up with the services'). */
import type { ContainerSpec } from '../domain/ports.ts';
import type { JobSpec } from '../kernel/jobs.ts';

/** Job records: status to poll, lease, dedupe marker. One partition per job. */
export const jobsContainer: ContainerSpec = { name: 'jobs', partitionKey: 'id' };
/** Dead-letter records: the job, its attempts and the last error, until replayed or purged. */
export const deadLettersContainer: ContainerSpec = { name: 'dead-letters', partitionKey: 'id' };
/** The side-effect ledger: one entry per job and effect key. */
export const ledgerContainer: ContainerSpec = { name: 'ledger', partitionKey: 'jobId' };
/** Timer slot claims: `run:<job>:<slot>`. */
export const runsContainer: ContainerSpec = { name: 'runs', partitionKey: 'id' };

export const runtimeContainers = [jobsContainer, deadLettersContainer, ledgerContainer, runsContainer];

type Homes = Pick<JobSpec, 'jobsContainer' | 'deadLetterContainer'>;

/** The container of a job's records: its own if it names one, else the shared `jobs`. */
export const jobsContainerOf = (spec?: Homes): ContainerSpec => (spec?.jobsContainer ? { name: spec.jobsContainer, partitionKey: 'id' } : jobsContainer);
/** The container of a job's dead letters: its own if it names one, else the shared `dead-letters`. */
export const deadLettersContainerOf = (spec?: Homes): ContainerSpec =>
  spec?.deadLetterContainer ? { name: spec.deadLetterContainer, partitionKey: 'id' } : deadLettersContainer;

const distinct = (specs: readonly ContainerSpec[]) => [...new Map(specs.map((spec) => [spec.name, spec])).values()];

/** Every job-record container in use, the shared one first. */
export const jobsContainersOf = (jobs: readonly Homes[]) => distinct([jobsContainer, ...jobs.map(jobsContainerOf)]);
/** Every dead-letter container in use, the shared one first. */
export const deadLettersContainersOf = (jobs: readonly Homes[]) => distinct([deadLettersContainer, ...jobs.map(deadLettersContainerOf)]);
/** The runtime's containers plus any a job names for itself: what start-up creates. */
export const jobRuntimeContainers = (jobs: readonly Homes[]) => distinct([...runtimeContainers, ...jobsContainersOf(jobs), ...deadLettersContainersOf(jobs)]);

/** The capability jobs' documents: one per async job, owned by the API key that submitted it. */
import type { ContainerSpec, Document } from '../../domain/ports.ts';
import type { PluginResult } from '../../domain/capabilities/plugin.ts';

export const capabilityJobsContainer: ContainerSpec = { name: 'capability-jobs', partitionKey: 'id' };

export type CapabilityJobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface CapabilityJobDoc extends Document {
  /** The platform job's id too, so the runtime's record (retries, dead letter) is found by it. */
  id: string;
  /** The API key's name: only that key reads the job. */
  owner: string;
  plugin: string;
  status: CapabilityJobStatus;
  callbackUrl?: string;
  result?: PluginResult;
  error?: { code: string; message: string };
  attempts: number;
  createdAt: string;
  updatedAt: string;
  completedAt?: string;
  /** Delivery of the callback, when there is one. */
  callback?: { status: 'pending' | 'delivered' | 'failed'; attempts: number; lastStatus?: number; lastError?: string };
}

/** The wardrobe's digest containers: one digest per user and ISO week. */
import type { ContainerSpec, Document } from '../../../domain/ports.ts';
import type { DigestContent } from '../../../domain/wardrobe/digest.ts';

/** Id = the ISO week (`2026-W47`), partitioned by the owner: a second run of a week replaces it. */
export const digestsContainer: ContainerSpec = { name: 'wardrobe-digests', partitionKey: 'userId' };

export type DigestDoc = Document &
  DigestContent & {
    userId: string;
    /** The model-written (or offline template) summary; absent when the model failed. */
    summary?: { text: string; model: string; offline: boolean };
    /** Why something optional is missing, e.g. `summary_unavailable: model_timeout`. */
    notes: string[];
    generatedAt: string;
  };

export const digestContainers: readonly ContainerSpec[] = [digestsContainer];

/** The wardrobe's digest containers: the digests, and the owner's votes on their suggestions. */
import type { ContainerSpec, Document } from '../../../domain/ports.ts';
import type { DigestContent } from '../../../domain/wardrobe/digest.ts';

/** Id `<userId>-<wardrobeHash>`, partitioned by the owner: a rebuild of the same wardrobe replaces it. */
export const digestsContainer: ContainerSpec = { name: 'wardrobe-digests', partitionKey: 'userId' };

/** Id `<digestId>-<suggestionIndex>`, partitioned by the voter: a second vote on a suggestion overwrites the first. */
export const digestFeedbackContainer: ContainerSpec = { name: 'wardrobe-digest-feedback', partitionKey: 'userId' };

export type DigestDoc = Document &
  DigestContent & {
    userId: string;
    /** `yyyy-MM-ddTHH:mm:ssZ`. */
    generatedAt: string;
  };

export type DigestFeedbackDoc = Document & {
  userId: string;
  digestId: string;
  suggestionIndex: number;
  suggestionDescription: string;
  signal: 'up' | 'down';
  updatedAt: string;
};

export const digestContainers: readonly ContainerSpec[] = [digestsContainer, digestFeedbackContainer];

import type { Document } from '../../../domain/ports.ts';

/**
 * What every garage document has had since version 1. The revisions declare their own shapes on top
 * of it, frozen as they were, rather than import the current ones from store.ts, which move on.
 */
export interface Stamped extends Document {
  userId: string;
  schemaVersion: number;
  createdAt: string;
  updatedAt: string;
}

/**
 * Drafts are items: documents of the `wardrobe-items` container (partitioned by `userId`) with
 * a `draftStatus`. Accepting one removes its draft fields, and it is an ordinary item from then on.
 */
import type { Document, DocumentStore } from '../../../domain/ports.ts';
import type { StoredClothingItem } from '../../../domain/wardrobe/clothing-item.ts';
import { itemsContainer } from '../items/store.ts';

/** How the draft is processed; server-internal, removed on accept and never sent to clients. */
export interface DraftOptions {
  /** The upload's `skip_segmentation`: the client already cut the garment out. */
  skipSegmentation: boolean;
  /** Counts processing runs (1 on upload, +1 per retry): names the run's job, so a superseded job's result is ignored. */
  run: number;
}

export type DraftDoc = StoredClothingItem & Document & { draftOptions?: DraftOptions };

export const draftsOf = (documents: DocumentStore) => documents.repository<DraftDoc>(itemsContainer);

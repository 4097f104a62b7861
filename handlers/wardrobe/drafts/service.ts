/**
 * The draft lifecycle (contract section 6.3): an upload becomes a Processing draft, its job makes
 * it Ready or Failed, a Failed one can be retried, a Ready one accepted into the wardrobe, and
 * one stuck in Processing is given up on. Every change is a read-modify-write on the item's
 * ETag, so concurrent requests and a job's late result cannot overwrite each other.
 */
import { randomBytes } from 'node:crypto';
import { readModifyWrite } from '../../../domain/documents.ts';
import { AppError, conflict, notFound } from '../../../domain/errors.ts';
import type { BlobStore, Clock, DocumentStore } from '../../../domain/ports.ts';
import { isoSeconds } from '../../../domain/time.ts';
import type { ClothingItem } from '../../../domain/wardrobe/clothing-item.ts';
import { EXTENSIONS, type ImageType } from '../../../domain/wardrobe/image-formats.ts';
import { imageBlobName } from '../../../domain/wardrobe/media.ts';
import type { JobClient } from '../../../jobs/job-client.ts';
import type { Logger } from '../../../middleware/logger.ts';
import type { MediaSettings } from '../media/settings.ts';
import { draftJob, draftJobId } from './jobs.ts';
import { presentItem } from '../items/present.ts';
import type { DraftSettings } from './settings.ts';
import { draftsOf, type DraftDoc } from './store.ts';

export interface DraftServiceDeps {
  documents: DocumentStore;
  blobs: BlobStore;
  clock: Clock;
  jobs: Pick<JobClient, 'enqueue'>;
  settings: { media: MediaSettings; drafts: DraftSettings };
}

export interface DraftUpload {
  bytes: Uint8Array;
  /** Sniffed from the bytes. */
  type: ImageType;
  isWishlisted: boolean;
  skipSegmentation: boolean;
}

/** What the job and the timer write when they give up; shown to the user as is. */
export const DRAFT_ERRORS = {
  unreadable: 'The photo could not be read. Try another photo (JPEG, PNG, WebP or AVIF).',
  rawGone: 'The uploaded photo is no longer available. Upload it again.',
  failed: 'The photo could not be processed. Try again.',
  notStarted: 'Processing could not be started. Try again.',
  stuck: 'Processing took too long. Try again.',
} as const;

/** The draft fields that go when a draft is accepted (with the server-internal options). */
const DRAFT_FIELDS = ['draftStatus', 'draftError', 'draftCreatedAt', 'draftUpdatedAt', 'draftOptions'] as const;

const withoutEtag = ({ etag: _etag, ...rest }: DraftDoc & { etag?: string }): DraftDoc => rest;

export type DraftService = ReturnType<typeof createDraftService>;

export function createDraftService(deps: DraftServiceDeps) {
  const { documents, blobs, clock, jobs, settings } = deps;
  const drafts = draftsOf(documents);
  const present = (item: DraftDoc) => presentItem({ blobs, settings }, item);
  const now = () => isoSeconds(clock.now());

  /** Changes one of the user's items; undefined from `change` writes nothing. 404 when there is none. */
  async function update(userId: string, id: string, change: (draft: DraftDoc) => DraftDoc | undefined) {
    let found = false;
    const stored = await readModifyWrite(drafts, id, userId, (current) => {
      found = current !== undefined;
      return current ? change(withoutEtag(current)) : undefined;
    });
    if (!found || !stored) throw notFound('No such draft.');
    return stored;
  }

  async function start(draft: DraftDoc, traceparent: string | undefined, log: Logger): Promise<void> {
    const run = draft.draftOptions?.run ?? 1;
    try {
      await jobs.enqueue(draftJob, { userId: draft.userId, draftId: draft.id, run }, { jobId: draftJobId(draft.id, run, draft.draftUpdatedAt ?? now()), ...(traceparent ? { traceparent } : {}) });
    } catch (error) {
      // Never left Processing with no job behind it: Failed, so the user can retry.
      log.error({ err: error, draftId: draft.id }, 'draft processing could not be enqueued');
      await fail(draft.userId, draft.id, run, DRAFT_ERRORS.notStarted).catch(() => undefined);
      throw error;
    }
  }

  /** POST /api/wardrobe/upload: the raw image archived, a Processing draft, its job enqueued. */
  async function upload(userId: string, image: DraftUpload, trace: { traceparent?: string; log: Logger }): Promise<ClothingItem> {
    const id = `upload-${randomBytes(16).toString('hex')}`;
    const rawImageBlob = imageBlobName(userId, id, EXTENSIONS[image.type]);
    await blobs.put(settings.media.archiveContainer, rawImageBlob, image.bytes, image.type);
    const at = now();
    const draft: DraftDoc = {
      id, userId, draftStatus: 'Processing', rawImageBlob, draftCreatedAt: at, draftUpdatedAt: at,
      isWishlisted: image.isWishlisted, wearCount: 0, tags: [], colours: [],
      draftOptions: { skipSegmentation: image.skipSegmentation, run: 1 },
    };
    try {
      await drafts.create(draft);
    } catch (error) {
      await blobs.delete(settings.media.archiveContainer, rawImageBlob).catch(() => undefined);
      throw error;
    }
    await start(draft, trace.traceparent, trace.log);
    trace.log.info({ draftId: id, bytes: image.bytes.byteLength, type: image.type }, 'draft uploaded');
    return present(draft);
  }

  /** GET /api/wardrobe/drafts: newest first, wishlist drafts included. */
  async function list(userId: string, page: { limit: number; continuation?: string }) {
    const result = await drafts.query({
      partitionKey: userId,
      // Only drafts have draftCreatedAt (accept removes it): ordering on it leaves finalised items out.
      filters: [{ field: 'draftCreatedAt', op: '>', value: '' }],
      orderBy: { field: 'draftCreatedAt', direction: 'desc' },
      limit: page.limit,
      ...(page.continuation ? { continuation: page.continuation } : {}),
    });
    return { items: await Promise.all(result.items.map((item) => present(withoutEtag(item)))), continuation: result.continuation };
  }

  /** PATCH .../accept: a Ready draft becomes an item; accepting an accepted one answers it again. */
  async function accept(userId: string, id: string): Promise<ClothingItem> {
    const stored = await update(userId, id, (draft) => {
      if (draft.draftStatus === undefined) return undefined;
      if (draft.draftStatus !== 'Ready') throw conflict('draft_not_ready', `Only Ready drafts can be accepted; this one is ${draft.draftStatus}.`);
      const item: DraftDoc = { ...draft, dateAdded: draft.dateAdded ?? now() };
      for (const field of DRAFT_FIELDS) delete item[field];
      return item;
    });
    return present(withoutEtag(stored));
  }

  /** POST .../retry: a Failed draft back in Processing with a new run; 410 when its raw image is gone. */
  async function retry(userId: string, id: string, trace: { traceparent?: string; log: Logger }): Promise<ClothingItem> {
    const current = await drafts.get(id, userId);
    if (!current) throw notFound('No such draft.');
    if (current.draftStatus !== 'Failed') throw conflict('draft_not_failed', 'Only Failed drafts can be retried.');
    const raw = current.rawImageBlob ? await blobs.list(settings.media.archiveContainer, current.rawImageBlob) : [];
    if (!raw.includes(current.rawImageBlob!)) throw new AppError(410, 'raw_image_gone', 'The uploaded image is no longer stored; upload it again.');
    const stored = await update(userId, id, (draft) => {
      if (draft.draftStatus !== 'Failed') throw conflict('draft_not_failed', 'Only Failed drafts can be retried.');
      const options = draft.draftOptions ?? { skipSegmentation: false, run: 1 };
      const next: DraftDoc = { ...draft, draftStatus: 'Processing', draftUpdatedAt: now(), draftOptions: { ...options, run: options.run + 1 } };
      delete next.draftError;
      return next;
    });
    const draft = withoutEtag(stored);
    await start(draft, trace.traceparent, trace.log);
    return present(draft);
  }

  /** Marks run `run` of a Processing draft Failed; a superseded run or a settled draft is left alone. */
  async function fail(userId: string, id: string, run: number, draftError: string): Promise<boolean> {
    let changed = false;
    await readModifyWrite(drafts, id, userId, (current) => {
      if (!current || current.draftStatus !== 'Processing' || (current.draftOptions?.run ?? 1) !== run) return undefined;
      changed = true;
      return { ...withoutEtag(current), draftStatus: 'Failed' as const, draftError, draftUpdatedAt: now() };
    });
    return changed;
  }

  return { upload, list, accept, retry, fail };
}

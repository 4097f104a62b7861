/**
 * The draft processing job: the raw upload through the media pipeline (admitted, background
 * removed when configured and not skipped, a WebP into the images container), described by the
 * language model, and the draft Ready with its image and metadata.
 *
 * - An image that cannot be used (corrupt, too many pixels, animated) is a permanent failure:
 *   the draft becomes Failed with a human `draftError`, and the job completes.
 * - Anything else (store, model, segmentation infrastructure) is thrown, so the job runtime
 *   retries it with backoff; on the last attempt the draft is marked Failed first, and the job
 *   is dead-lettered: a draft is never left Processing and never dropped.
 * - Idempotent per draft and run: only a Processing draft of this job's run is changed, the
 *   WebP's name is fixed by the draft id (a redelivery overwrites the same blob), and a run a
 *   retry superseded writes nothing.
 */
import type { LanguageModel } from '../../../domain/ai.ts';
import { readModifyWrite } from '../../../domain/documents.ts';
import { AppError } from '../../../domain/errors.ts';
import { isoSeconds } from '../../../domain/time.ts';
import { imageBlobName } from '../../../domain/wardrobe/media.ts';
import type { ClothingMetadata } from '../../../domain/wardrobe/metadata.ts';
import { PermanentJobError, type JobRun } from '../../../kernel/jobs.ts';
import { describeGarment } from '../media/describe.ts';
import { mediaOf, type MediaDeps } from '../media/service.ts';
import type { DraftJobPayload } from './jobs.ts';
import { createDraftService, DRAFT_ERRORS, type DraftServiceDeps } from './service.ts';
import { draftsOf, type DraftDoc } from './store.ts';

export interface DraftJobDeps extends MediaDeps, Pick<DraftServiceDeps, 'jobs'> {
  model: LanguageModel;
  settings: DraftServiceDeps['settings'];
}

/** What the user reads when their photo itself is the problem. */
function unusable(error: AppError): string {
  if (error.code === 'image_too_large' || error.code === 'animated_image' || error.code === 'image_too_complex') return error.message;
  return DRAFT_ERRORS.unreadable;
}

/** Fills what the model found, keeping anything the user already set on the draft. */
function withMetadata(draft: DraftDoc, metadata: ClothingMetadata): DraftDoc {
  return {
    ...draft,
    category: draft.category ?? metadata.category,
    ...(draft.brand === undefined && metadata.brand !== '' ? { brand: metadata.brand } : {}),
    tags: draft.tags.length > 0 ? draft.tags : metadata.tags,
    colours: draft.colours.length > 0 ? draft.colours : metadata.colours,
    aestheticTags: draft.aestheticTags?.length ? draft.aestheticTags : metadata.aestheticTags,
  };
}

export function createRun(deps: DraftJobDeps): JobRun<DraftJobPayload> {
  const { images, service: media } = mediaOf(deps);
  const drafts = draftsOf(deps.documents);
  const lifecycle = createDraftService(deps);
  const settings = deps.settings.media;

  return async ({ userId, draftId, run }, context) => {
    const log = context.log.child({ draftId, run });
    const draft = await drafts.get(draftId, userId);
    if (!draft || draft.draftStatus !== 'Processing' || (draft.draftOptions?.run ?? 1) !== run) {
      return log.info({ status: draft?.draftStatus ?? 'gone' }, 'draft is not waiting for this run; nothing to do');
    }
    const raw = draft.rawImageBlob ? await deps.blobs.get(settings.archiveContainer, draft.rawImageBlob) : undefined;
    if (!raw) {
      await lifecycle.fail(userId, draftId, run, DRAFT_ERRORS.rawGone);
      return log.warn('raw upload is gone; draft failed');
    }
    let phase: 'image' | 'rest' = 'image';
    try {
      const prepared = await media.prepare(raw.bytes, undefined, { log, skipSegmentation: draft.draftOptions?.skipSegmentation ?? false });
      phase = 'rest';
      const imageBlob = imageBlobName(userId, draftId, 'webp');
      await deps.blobs.put(settings.imagesContainer, imageBlob, prepared.webp.bytes, 'image/webp');
      // The cut-out when there is one: its colours are the garment's, not the background's.
      const metadata = await describeGarment({ images, model: deps.model }, prepared.source, {
        userId,
        signal: context.signal,
        ...(context.traceparent ? { traceparent: context.traceparent } : {}),
      });
      const ready = await readModifyWrite(drafts, draftId, userId, (current) => {
        if (!current || current.draftStatus !== 'Processing' || (current.draftOptions?.run ?? 1) !== run) return undefined;
        const { etag: _etag, draftError: _error, ...rest } = current;
        return { ...withMetadata(rest, metadata), draftStatus: 'Ready' as const, imageBlob, draftUpdatedAt: isoSeconds(deps.clock.now()) };
      });
      log.info({ status: ready?.draftStatus, backgroundRemoval: prepared.removal.status, model: metadata.model }, 'draft processed');
    } catch (error) {
      if (phase === 'image' && error instanceof AppError && error.status < 500) {
        await lifecycle.fail(userId, draftId, run, unusable(error));
        return log.info({ code: error.code }, 'the upload is not a usable image; draft failed');
      }
      // What the runtime will not retry (a 4xx AppError, a PermanentJobError), or the last attempt: Failed now.
      const permanent = error instanceof PermanentJobError || (error instanceof AppError && error.status < 500);
      if (permanent || (context.maxAttempts !== undefined && context.attempt >= context.maxAttempts)) {
        await lifecycle.fail(userId, draftId, run, DRAFT_ERRORS.failed);
        log.error({ err: error }, 'draft processing gave up; draft failed');
      }
      throw error;
    }
  };
}

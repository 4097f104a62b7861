/**
 * The upload and draft routes (see functions.ts and contract section 6.3):
 *
 * - POST /api/wardrobe/upload: multipart/form-data whose image is the first part with a filename
 *   (the iPhone app names it `file`, the web app `image`), with text fields `skip_segmentation`
 *   and `is_wishlisted`; or the image bytes themselves with an image Content-Type. The bytes are
 *   sniffed, never trusted; decoding happens in the job, where a corrupt image makes the draft Failed.
 * - GET /api/wardrobe/drafts, PATCH /api/wardrobe/drafts/{id}/accept, POST /api/wardrobe/drafts/{id}/retry.
 */
import { AppError, badRequest } from '../../../domain/errors.ts';
import { declaredImageType, IMAGE_TYPES, isHeic, sniffImageType } from '../../../domain/wardrobe/image-formats.ts';
import type { BlobStore, Clock, DocumentStore } from '../../../domain/ports.ts';
import type { JobClient } from '../../../jobs/job-client.ts';
import { json, type PorticoHttpHandler } from '../../../middleware/http-stack.ts';
import { bodyBytesOf, mediaTypeOf, parseMultipart } from '../../../middleware/multipart.ts';
import { ownerOf, pathId, unwrapToken, wrapToken } from '../../../middleware/resources.ts';
import type { PorticoHttpEvent } from '../../../middleware/context.ts';
import { traceOf } from '../../../middleware/trace-context.ts';
import type { MediaSettings } from '../media/settings.ts';
import { MAX_DRAFT_PAGE } from './schemas.ts';
import { createDraftService, type DraftUpload } from './service.ts';
import type { DraftSettings } from './settings.ts';

export interface DraftRoutesDeps {
  documents: DocumentStore;
  blobs: BlobStore;
  clock: Clock;
  jobs: Pick<JobClient, 'enqueue'>;
  settings: { media: MediaSettings; drafts: DraftSettings };
}

const noImage = () => badRequest('no_image', 'No image provided.');
const isTrue = (value: string | undefined) => value?.trim().toLowerCase() === 'true';
/** The upstream accepted HEIC from the web app as is; this sharp build has no HEVC decoder, so it is refused up front. */
const HEIC_TYPES = ['image/heic', 'image/heif', 'image/heic-sequence', 'image/heif-sequence'];

/** The image and flags of an upload, from a multipart form or a raw body. */
function uploadOf(event: PorticoHttpEvent<unknown>): Omit<DraftUpload, 'type'> {
  const mediaType = mediaTypeOf(event);
  if (mediaType === 'multipart/form-data') {
    const form = parseMultipart(event);
    // The first part with a filename, whatever its field name: parts keep the body's order.
    const file = Object.values(form.files).find((part) => part.fileName !== '');
    if (!file || file.bytes.byteLength === 0) throw noImage();
    return { bytes: file.bytes, skipSegmentation: isTrue(form.fields.skip_segmentation), isWishlisted: isTrue(form.fields.is_wishlisted) };
  }
  if (!event.body) throw noImage();
  if (!declaredImageType(mediaType) && !HEIC_TYPES.includes(mediaType) && mediaType !== 'application/octet-stream') {
    throw new AppError(415, 'unsupported_media_type', `Send multipart/form-data with the image as a file part, or the image bytes with Content-Type ${IMAGE_TYPES.join(', ')}.`);
  }
  const query = event.queryStringParameters ?? {};
  return { bytes: bodyBytesOf(event), skipSegmentation: isTrue(query.skip_segmentation), isWishlisted: isTrue(query.is_wishlisted) };
}

/** The image's real type, by its bytes. */
function sniffed(bytes: Uint8Array): DraftUpload['type'] {
  if (isHeic(bytes)) {
    throw new AppError(415, 'heic_not_supported', 'HEIC photos cannot be read here. Send JPEG, PNG, WebP or AVIF (on an iPhone: Settings > Camera > Formats > Most Compatible).');
  }
  const type = sniffImageType(bytes);
  if (!type) throw new AppError(415, 'unsupported_media_type', `The file is not an image of a supported type (${IMAGE_TYPES.join(', ')}).`);
  return type;
}

/** POST /api/wardrobe/upload: 202 with the Processing draft. */
export const upload = (deps: DraftRoutesDeps): PorticoHttpHandler => {
  const drafts = createDraftService(deps);
  return async (event, context) => {
    const userId = ownerOf(context);
    const image = uploadOf(event);
    const draft = await drafts.upload(userId, { ...image, type: sniffed(image.bytes) }, { ...traceOf(context), log: context.log });
    return json(202, draft);
  };
};

/** Tokens of this list only: one from another list (or a forged one) is a 400, never a wrong page. */
const LIST_QUERY = { list: 'drafts' };

/** GET /api/wardrobe/drafts: `{items, nextContinuationToken?}`, newest first. */
export const listDrafts = (deps: DraftRoutesDeps): PorticoHttpHandler => {
  const drafts = createDraftService(deps);
  return async (event, context) => {
    const query = (event.queryStringParameters ?? {}) as { pageSize?: number | string; continuationToken?: string };
    // Clamped like the upstream, rather than refused: the clients send what they were built with.
    const limit = Math.min(MAX_DRAFT_PAGE, Math.max(1, Math.trunc(Number(query.pageSize ?? MAX_DRAFT_PAGE)) || MAX_DRAFT_PAGE));
    const continuation = unwrapToken(LIST_QUERY, query.continuationToken);
    const page = await drafts.list(ownerOf(context), { limit, ...(continuation ? { continuation } : {}) });
    const next = wrapToken(LIST_QUERY, page.continuation);
    return json(200, { items: page.items, ...(next ? { nextContinuationToken: next } : {}) });
  };
};

/** PATCH /api/wardrobe/drafts/{id}/accept: 200 with the finalised item. */
export const acceptDraft = (deps: DraftRoutesDeps): PorticoHttpHandler => {
  const drafts = createDraftService(deps);
  return async (event, context) => json(200, await drafts.accept(ownerOf(context), pathId(event)));
};

/** POST /api/wardrobe/drafts/{id}/retry: 202 with the draft back in Processing. */
export const retryDraft = (deps: DraftRoutesDeps): PorticoHttpHandler => {
  const drafts = createDraftService(deps);
  return async (event, context) => json(202, await drafts.retry(ownerOf(context), pathId(event), { ...traceOf(context), log: context.log }));
};

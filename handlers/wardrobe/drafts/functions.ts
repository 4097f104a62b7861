/**
 * Uploads and drafts (contract section 6.3): an upload becomes a draft item that a job makes
 * Ready (image and metadata) or Failed; the user reviews, accepts or retries it. Drafts are
 * items of the caller (partitioned by user id): another user's draft id is 404.
 * The processing job's worker functions come from the job list (jobs.ts).
 */
import { defineFunction, type FunctionDef } from '../../../kernel/functions.ts';
import { IMAGE_TYPES } from '../../../domain/wardrobe/image-formats.ts';
import { MAX_UPLOAD_BYTES } from '../media/settings.ts';
import { clothingItem, draftsPage, draftsQuery, uploadForm, uploadQuery } from './schemas.ts';

const problem = { description: 'Problem details (application/problem+json)' };
const user = { 401: problem, 429: problem };
const draftId = { 404: { description: '`not_found`: no such draft for this user' } };

export const uploadDraft = defineFunction({
  name: 'wardrobe-upload',
  trigger: {
    kind: 'http', method: 'POST', route: 'wardrobe/upload', auth: 'user',
    maxBodyBytes: MAX_UPLOAD_BYTES,
    summary:
      'Uploads a photo as a new draft: multipart/form-data whose image is the first part with a filename (any field name), with text fields `skip_segmentation` and `is_wishlisted` (`true`, any case); or the image bytes themselves (the flags then in the query). Answers 202 with the Processing draft; a job makes it Ready (image and metadata) or Failed.',
    request: { contentTypes: ['multipart/form-data', ...IMAGE_TYPES], query: uploadQuery, handlerBody: uploadForm },
    responses: {
      202: { description: 'The draft, Processing', schema: clothingItem },
      400: { description: '`no_image` (`No image provided.`: no file part, or an empty one), `malformed_multipart`' },
      413: { description: '`body_too_large`: over 10 MB' },
      415: { description: '`heic_not_supported` (HEIC photos cannot be decoded here), `unsupported_media_type` (the bytes are not JPEG, PNG, WebP or AVIF)' },
      503: problem,
      ...user,
    },
  },
  handler: 'handlers/wardrobe/drafts/drafts.routes#upload',
});

export const listDrafts = defineFunction({
  name: 'wardrobe-drafts-list',
  trigger: {
    kind: 'http', method: 'GET', route: 'wardrobe/drafts', auth: 'user',
    summary: "The caller's drafts (wishlist drafts too), newest first: `pageSize` (clamped to 1-50, default 50) and `continuationToken`.",
    request: { query: draftsQuery },
    responses: { 200: { description: 'A page of drafts', schema: draftsPage }, 400: { description: '`invalid_continuation`, `validation_failed`' }, ...user },
  },
  handler: 'handlers/wardrobe/drafts/drafts.routes#listDrafts',
});

export const acceptDraft = defineFunction({
  name: 'wardrobe-drafts-accept',
  trigger: {
    kind: 'http', method: 'PATCH', route: 'wardrobe/drafts/{id}/accept', auth: 'user',
    summary: 'Accepts a Ready draft into the wardrobe: its draft fields go and `dateAdded` is set. Accepting it again answers the item again.',
    responses: {
      200: { description: 'The finalised item', schema: clothingItem },
      ...draftId,
      409: { description: '`draft_not_ready`: the draft is Processing or Failed' },
      ...user,
    },
  },
  handler: 'handlers/wardrobe/drafts/drafts.routes#acceptDraft',
});

export const retryDraft = defineFunction({
  name: 'wardrobe-drafts-retry',
  trigger: {
    kind: 'http', method: 'POST', route: 'wardrobe/drafts/{id}/retry', auth: 'user',
    summary: 'Processes a Failed draft again: 202 with it back in Processing.',
    responses: {
      202: { description: 'The draft, Processing', schema: clothingItem },
      ...draftId,
      409: { description: '`draft_not_failed`: `Only Failed drafts can be retried.`' },
      410: { description: '`raw_image_gone`: the uploaded image is no longer stored' },
      ...user,
    },
  },
  handler: 'handlers/wardrobe/drafts/drafts.routes#retryDraft',
});

/** Every 15 minutes: drafts Processing longer than DRAFT_STUCK_AFTER_MINUTES become Failed. */
export const stuckDrafts = defineFunction({
  name: 'wardrobe-drafts-stuck',
  trigger: { kind: 'timer', schedule: '0 */15 * * * *' },
  handler: 'handlers/wardrobe/drafts/stuck.timer#stuckDrafts',
});

export const draftsFunctions: readonly FunctionDef[] = [uploadDraft, listDrafts, acceptDraft, retryDraft, stuckDrafts] as FunctionDef[];

/**
 * The media routes (see functions.ts):
 *
 * - POST /api/process-image: the body is the image itself; it is admitted, processed, stored.
 * - POST /api/extract-clothing-metadata: `{ imageId }` (the caller's own upload) or
 *   `{ imageBase64 }`. The model answers with structured output against a JSON schema; the
 *   offline provider's answer is built from the image's real colour and shape statistics.
 *   An API-key caller is a service, not a user, so it owns no images: it must send imageBase64,
 *   and `{ imageId }` from it is refused with 400 `user_required`.
 *
 * Images come from `deps.images` (sharp, loaded on first use) with the pixel limit of the
 * settings; background removal from `deps.segmentation` when SEGMENTATION_* is configured.
 */
import type { LanguageModel } from '../../../domain/ai.ts';
import { AppError, badRequest, unauthorized } from '../../../domain/errors.ts';
import { declaredImageType, IMAGE_TYPES, type ImageType } from '../../../domain/wardrobe/image-formats.ts';
import type { Authenticator } from '../../../middleware/auth.ts';
import { json, type PorticoHttpHandler } from '../../../middleware/http-stack.ts';
import { callTrace } from '../../../middleware/trace-context.ts';
import { acceptOnly, withRouteApiKey } from './route-auth.ts';
import { describeGarment } from './describe.ts';
import { mediaOf, type MediaDeps } from './service.ts';
import { MAX_METADATA_IMAGE_BYTES } from './settings.ts';

/** What the media routes use (app/app.ts `Deps` has all of it). */
export type MediaRoutesDeps = MediaDeps;

export interface ExtractMetadataDeps extends MediaRoutesDeps {
  model: LanguageModel;
  /** The standard authenticator, which the route's own one wraps. */
  platform: { authenticate: Authenticator };
}

export type ExtractMetadataBody = { imageId: string; imageBase64?: undefined } | { imageBase64: string; imageId?: undefined };

/** POST /api/process-image: 201 with the stored image's id, read URL, size and dominant colours. */
export const processImage = (deps: MediaRoutesDeps): PorticoHttpHandler => {
  const { service } = mediaOf(deps);
  return async (event, context) => {
    if (!context.principal) throw unauthorized();
    const declared = declaredImageType(event.headers?.['content-type']);
    if (!declared) throw new AppError(415, 'unsupported_media_type', `Send the image bytes with Content-Type ${IMAGE_TYPES.join(', ')}.`);
    if (!event.body) throw badRequest('body_required', 'The request has no image.');
    // The adapters deliver binary bodies base64-encoded; a text body is taken as it came.
    const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
    const upload = await service.processUpload(context.principal.userId, new Uint8Array(bytes), declared, context.log);
    return json(201, upload);
  };
};

const DATA_URL = /^data:([a-z]+\/[a-z0-9.+-]+);base64,/i;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Strict base64 (optionally a `data:` URL), decoded; its declared type when it has one. */
function decodeBase64(value: string): { bytes: Uint8Array; declared: ImageType | undefined } {
  const prefix = DATA_URL.exec(value);
  const body = prefix ? value.slice(prefix[0].length) : value;
  const declared = prefix ? declaredImageType(prefix[1]) : undefined;
  if (prefix && !declared) throw new AppError(415, 'unsupported_media_type', 'The data URL is not image/jpeg, image/png, image/webp or image/avif.');
  if (body.length === 0 || body.length % 4 !== 0 || !BASE64.test(body)) throw badRequest('invalid_base64', 'imageBase64 is not valid base64.');
  const bytes = Buffer.from(body, 'base64');
  if (bytes.byteLength > MAX_METADATA_IMAGE_BYTES) throw new AppError(413, 'body_too_large', `The image is larger than ${MAX_METADATA_IMAGE_BYTES} bytes.`);
  return { bytes: new Uint8Array(bytes), declared };
}

/**
 * POST /api/extract-clothing-metadata, with its own authenticator: the definition declares API
 * keys and users, METADATA_EXTRACT_AUTH_MODE (`deps.settings.media.metadataAuthClasses`) narrows
 * that, and METADATA_EXTRACT_API_KEY is one more key where API keys are accepted.
 */
export const extractMetadata = (deps: ExtractMetadataDeps): { handler: PorticoHttpHandler<ExtractMetadataBody>; authenticate: Authenticator } => {
  const settings = deps.settings.media;
  const { images, service } = mediaOf(deps);
  const { model } = deps;
  const authenticate = acceptOnly(withRouteApiKey(deps.platform.authenticate, settings.metadataApiKey, 'metadata-extract'), settings.metadataAuthClasses);
  const handler: PorticoHttpHandler<ExtractMetadataBody> = async (event, context) => {
    const principal = context.principal;
    if (!principal) throw unauthorized();
    let bytes: Uint8Array;
    if (event.json.imageId !== undefined) {
      if (principal.via === 'apiKey') throw badRequest('user_required', 'An API-key caller owns no images: send imageBase64 instead of imageId.');
      bytes = await service.ownImage(principal.userId, event.json.imageId);
    } else {
      const decoded = decodeBase64(event.json.imageBase64);
      await service.admit(decoded.bytes, decoded.declared);
      bytes = decoded.bytes;
    }
    return json(200, await describeGarment({ images, model }, bytes, { userId: principal.qualifiedId, ...callTrace(context) }));
  };
  return { handler, authenticate };
};

/**
 * POST /api/extract-clothing-metadata: `{ imageId }` (the caller's own upload) or
 * `{ imageBase64 }`. The model answers with structured output against a JSON schema; the
 * offline provider's answer is built from the image's real colour and shape statistics.
 *
 * An API-key caller is a service, not a user, so it owns no images: it must send imageBase64,
 * and `{ imageId }` from it is refused with 400 `user_required`.
 */
import type { HttpLambda } from '../../../kernel/functions.ts';
import type { LanguageModel } from '../../../domain/ai.ts';
import { AppError, badRequest, unauthorized } from '../../../domain/errors.ts';
import { declaredImageType, type ImageType } from '../../../domain/wardrobe/image-formats.ts';
import {
  cleanMetadata,
  clothingMetadataSchema,
  imageFeatures,
  METADATA_INSTRUCTIONS,
  offlineMetadata,
  type ClothingMetadataAnswer,
} from '../../../domain/wardrobe/metadata.ts';
import { httpHandler, json, type HttpPlatform } from '../../../middleware/http-stack.ts';
import { callTrace } from '../../../middleware/trace-context.ts';
import { extractMetadata } from './functions.ts';
import { createMediaService, SAMPLE_EDGE, type MediaServiceDeps } from './service.ts';
import { MAX_METADATA_IMAGE_BYTES } from './settings.ts';

export interface ExtractMetadataDeps extends MediaServiceDeps {
  platform: HttpPlatform;
  model: LanguageModel;
}

export type ExtractMetadataBody = { imageId: string; imageBase64?: undefined } | { imageBase64: string; imageId?: undefined };

/** What the model is shown: enough detail to see fabric and pattern, bounded in tokens. */
const MODEL_IMAGE_EDGE = 1024;
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

export function createHandler(deps: ExtractMetadataDeps): HttpLambda {
  const service = createMediaService(deps);
  const { images, model } = deps;
  return httpHandler<ExtractMetadataBody>(
    extractMetadata,
    async (event, context) => {
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
      const features = imageFeatures(await images.pixels(bytes, { maxEdge: SAMPLE_EDGE }));
      const shown = await images.toWebp(bytes, { maxEdge: MODEL_IMAGE_EDGE });
      const result = await model.structured<ClothingMetadataAnswer>({
        task: 'wardrobe.extract-metadata',
        messages: [
          { role: 'system', content: METADATA_INSTRUCTIONS },
          { role: 'user', content: 'Describe this item.', images: [{ mediaType: 'image/webp', base64: Buffer.from(shown.bytes).toString('base64') }] },
        ],
        schema: clothingMetadataSchema,
        offline: () => offlineMetadata(features),
        maxOutputTokens: 800,
        userId: principal.qualifiedId,
        ...callTrace(context),
      });
      return json(200, cleanMetadata(result.value, result.offline ? 'offline' : result.model));
    },
    deps.platform,
  );
}

let wired: HttpLambda | undefined;

/** Built on the first request, so loading the module (the function table, the docs) costs nothing. */
export const handler: HttpLambda = async (event, context) => {
  if (!wired) {
    const { getLanguageModel } = await import('../../../app/composition.ts');
    const { getMediaServiceDeps, getMetadataPlatform } = await import('./wiring.ts');
    wired = createHandler({ ...getMediaServiceDeps(), platform: getMetadataPlatform(), model: getLanguageModel() });
  }
  return wired(event, context);
};

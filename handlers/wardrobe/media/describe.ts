/**
 * Describing a garment with the language model: the one place the metadata prompt is made, used
 * by POST /api/extract-clothing-metadata and by the draft processing job. The model is shown a
 * WebP of at most MODEL_IMAGE_EDGE px; the offline provider's answer comes from the image's real
 * colour and shape statistics.
 */
import type { LanguageModel } from '../../../domain/ai.ts';
import {
  cleanMetadata,
  clothingMetadataSchema,
  imageFeatures,
  METADATA_INSTRUCTIONS,
  offlineMetadata,
  type ClothingMetadata,
  type ClothingMetadataAnswer,
} from '../../../domain/wardrobe/metadata.ts';
import type { ImageProcessor } from '../../../domain/wardrobe/media.ts';
import { SAMPLE_EDGE } from './service.ts';

/** What the model is shown: enough detail to see fabric and pattern, bounded in tokens. */
const MODEL_IMAGE_EDGE = 1024;

export interface DescribeOptions {
  /** Who the call is for (the model port's usage accounting). */
  userId: string;
  requestId?: string;
  traceparent?: string;
  signal?: AbortSignal;
}

/** The garment's metadata, cleaned; throws the model port's AppErrors (429/5xx/timeout) as they are. */
export async function describeGarment(deps: { images: ImageProcessor; model: LanguageModel }, bytes: Uint8Array, options: DescribeOptions): Promise<ClothingMetadata> {
  const { images, model } = deps;
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
    userId: options.userId,
    ...(options.requestId ? { requestId: options.requestId } : {}),
    ...(options.traceparent ? { traceparent: options.traceparent } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return cleanMetadata(result.value, result.offline ? 'offline' : result.model);
}

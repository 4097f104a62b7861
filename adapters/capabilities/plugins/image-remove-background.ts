/**
 * image-remove-background: the subject cut out, its background made transparent, by the
 * segmentation service (the wardrobe's BackgroundRemover port, SEGMENTATION_* settings). The
 * service is sent a PNG of the oriented image at most max_edge px on its long side, and its
 * answer is decoded and re-encoded here (png, or webp with alpha), so nothing it added survives.
 */
import { numberOption } from '../../../domain/capabilities/config.ts';
import { pluginUnavailable, processingTimeout } from '../../../domain/capabilities/errors.ts';
import { definePlugin, type PluginContext } from '../../../domain/capabilities/plugin.ts';
import { SegmentationError } from '../../../domain/wardrobe/media.ts';
import { DEFAULT_MAX_INPUT_PIXELS, encodingOf, imageInputSchema, type ImageSourceInput, type OutputFormat } from '../image-options.ts';

const NAME = 'image-remove-background';
const NOT_CONFIGURED = 'no segmentation service configured (SEGMENTATION_ENDPOINT_URL and SEGMENTATION_SHARED_TOKEN)';
const DEFAULT_MAX_EDGE = 2048;

export interface RemoveBackgroundInput extends ImageSourceInput {
  options?: { format?: Extract<OutputFormat, 'png' | 'webp'>; quality?: number };
}

/** The service's failures are not the caller's input being refused: a timeout is 422, the rest 503. */
function segmentationFailure(error: unknown, ctx: PluginContext, budgetMs: number): Error {
  if (ctx.deadline.signal.aborted || (error instanceof SegmentationError && error.reason === 'timeout')) return processingTimeout(budgetMs);
  if (error instanceof SegmentationError) return pluginUnavailable(NAME, `the segmentation service failed (${error.reason}): ${error.message}`);
  return error instanceof Error ? error : new Error(String(error));
}

export default definePlugin<RemoveBackgroundInput>({
  name: NAME,
  display_name: 'Background removal',
  category: 'image',
  mode: 'both',
  packages: ['sharp'],
  limits: { max_input_pixels: DEFAULT_MAX_INPUT_PIXELS, max_edge: DEFAULT_MAX_EDGE },
  inputSchema: imageInputSchema({
    properties: {
      format: { enum: ['png', 'webp'], description: 'Output format, both with transparency (default png).' },
      quality: { type: 'integer', minimum: 1, maximum: 100, description: 'webp quality (default lossless); for png, quantises to a palette.' },
    },
  }),
  async health(_config, context) {
    return context.segmentation ? { healthy: true } : { healthy: false, reason: NOT_CONFIGURED, configured: false };
  },
  async process(input, ctx) {
    const segmentation = ctx.segmentation;
    if (!segmentation) throw pluginUnavailable(NAME, NOT_CONFIGURED);
    const requested = input.options ?? {};
    // Without a quality, webp is lossless: a cut-out's edges are what it is for.
    const encoding = encodingOf(requested.quality === undefined ? { ...requested, lossless: true } : requested, 'png');
    const maxEdge = numberOption(ctx.config, 'max_edge', DEFAULT_MAX_EDGE);
    const { openSource, openImage, encode, encodeAndStore, withDeadline } = await import('../sharp-input.ts');
    const { image, maxPixels } = await openSource(input, ctx);
    const sent = image.pipeline().resize({ width: maxEdge, height: maxEdge, fit: 'inside', withoutEnlargement: true });
    const { data: png } = await encode(sent, 'png', { maxPixels, deadline: ctx.deadline });
    const budget = ctx.deadline.remainingMs();
    const cutout = await withDeadline(segmentation.removeBackground({ bytes: png, contentType: 'image/png' }, ctx.deadline.signal), ctx.deadline).catch(
      (error: unknown) => {
        throw segmentationFailure(error, ctx, budget);
      },
    );
    const answer = await openImage(cutout, maxPixels).catch(() => {
      throw pluginUnavailable(NAME, 'the segmentation service answered with an image that cannot be decoded');
    });
    const { stored, width, height } = await encodeAndStore(ctx, answer.pipeline().ensureAlpha(), encoding, { maxPixels, suffix: 'nobg' });
    return { output_url: stored.url, metadata: { width, height, format: encoding.format, size: stored.size, original_width: image.width, original_height: image.height } };
  },
});

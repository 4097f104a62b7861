/**
 * nsfw-check: how likely an image is to be not safe for work, by nsfwjs's classifier (five
 * classes: Drawing, Hentai, Neutral, Porn, Sexy) on TensorFlow.js's CPU backend. The image is
 * decoded with sharp (pixel cap checked from the header first), flattened on white, and squeezed to
 * the model's square input; `nsfw` is whether Hentai + Porn + Sexy reach the threshold.
 */
import { fileInputSchema } from '../../../domain/capabilities/schemas.ts';
import { numberOption, stringOption } from '../../../domain/capabilities/config.ts';
import { pluginUnavailable, processingTimeout } from '../../../domain/capabilities/errors.ts';
import { definePlugin, type PluginConfig } from '../../../domain/capabilities/plugin.ts';
import { imageSource } from '../image-options.ts';

export interface NsfwInput {
  image_url?: string;
  image_base64?: string;
  options?: { threshold?: number };
}

const DEFAULT_THRESHOLD = 0.7;
const DEFAULT_MAX_PIXELS = 50_000_000;

const modelOption = (config: PluginConfig) => stringOption(config, 'model', 'MobileNetV2');
const round = (value: number) => Math.round(value * 10_000) / 10_000;
const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0];

export default definePlugin<NsfwInput>({
  name: 'nsfw-check',
  display_name: 'NSFW image check',
  category: 'image',
  mode: 'both',
  packages: ['sharp', 'nsfwjs', '@tensorflow/tfjs'],
  limits: { max_input_pixels: DEFAULT_MAX_PIXELS },
  inputSchema: fileInputSchema(imageSource, {
    properties: {
      threshold: { type: 'number', minimum: 0, maximum: 1, description: 'The NSFW score (Hentai + Porn + Sexy) from which `nsfw` is true (default 0.7).' },
    },
  }),
  async health(config) {
    const { nsfwModelMissing } = await import('../nsfw-model.ts');
    const reason = await nsfwModelMissing(modelOption(config));
    return reason ? { healthy: false, reason } : { healthy: true };
  },
  async process(input, ctx) {
    const budget = ctx.deadline.remainingMs();
    const file = await ctx.source(input, 'image');
    const { openImage, imageRefusal, withDeadline } = await import('../sharp-input.ts');
    const { NSFW_MODELS, UNSAFE_CLASSES, classifyRgb, isNsfwModelName, nsfwModel } = await import('../nsfw-model.ts');
    const name = modelOption(ctx.config);
    if (!isNsfwModelName(name)) throw pluginUnavailable('nsfw-check', `options.model "${name}" is not an nsfwjs model`);
    const maxPixels = numberOption(ctx.config, 'max_input_pixels', DEFAULT_MAX_PIXELS);
    const threshold = input.options?.threshold ?? numberOption(ctx.config, 'default_threshold', DEFAULT_THRESHOLD);
    const size = NSFW_MODELS[name];

    const image = await openImage(file.bytes, maxPixels);
    // As the model was trained: the whole picture squeezed to a square (no crop), transparency on white.
    const pixels = image.pipeline().flatten({ background: '#ffffff' }).resize(size, size, { fit: 'fill' }).toColourspace('srgb').removeAlpha().raw().toBuffer();
    const rgb = await withDeadline(
      pixels.catch((error: unknown) => {
        throw imageRefusal(error, maxPixels);
      }),
      ctx.deadline,
    );
    // The first call of a process loads the model (weights from the package, about 1.5 s).
    const loading = nsfwModel(name).catch((error: unknown) => {
      throw pluginUnavailable('nsfw-check', `the ${name} model did not load: ${firstLine(error)}`);
    });
    await withDeadline(loading, ctx.deadline);
    // Inference cannot be interrupted once started (synchronous CPU work): start it only with time left.
    if (ctx.deadline.signal.aborted) throw processingTimeout(budget);
    const scores = await withDeadline(classifyRgb(name, new Uint8Array(rgb.buffer, rgb.byteOffset, rgb.byteLength)), ctx.deadline);
    const nsfwScore = UNSAFE_CLASSES.reduce((sum, unsafe) => sum + scores[unsafe], 0);
    return {
      nsfw: nsfwScore >= threshold,
      nsfw_score: round(nsfwScore),
      threshold,
      scores: Object.fromEntries(Object.entries(scores).map(([label, score]) => [label.toLowerCase(), round(score)])),
      model: `nsfwjs ${name}`,
      width: image.width,
      height: image.height,
    };
  },
});

/**
 * nsfw-check through the registry, with nsfwjs's MobileNetV2 from its npm package on the
 * TensorFlow.js CPU backend: the scores' shape and arithmetic, the threshold, determinism, input
 * colour modes, refusals before any decoding or model load, and an unknown model as 503.
 * The pictures are generated (shapes on a plain background): what the model must say of real
 * NSFW content is nsfwjs's own business, not something a test here can or should show.
 */
import { describe, expect, it } from '@jest/globals';
import sharp from 'sharp';
import { loadPlugin } from '../../adapters/capabilities/load-plugin.ts';
import { readPluginsFile } from '../../handlers/capabilities/plugins-file.ts';
import { runPlugin } from './support/harness.ts';

// The first call loads the model; a loaded 2-core machine may be many times slower than usual.
const deadlineMs = 150_000;

const picture = (width: number, height: number) =>
  Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#8ac"/>` +
      `<circle cx="${width / 2}" cy="${height / 2}" r="${Math.min(width, height) / 4}" fill="#234"/><rect x="10" y="10" width="${width / 4}" height="${height / 5}" fill="#fc3"/></svg>`,
  );

type Scores = Record<string, number>;
const CLASSES = ['drawing', 'hentai', 'neutral', 'porn', 'sexy'];

describe('nsfw-check', () => {
  it('scores five classes summing to 1, nsfw_score is hentai + porn + sexy, nsfw by the threshold, the same scores every time', async () => {
    const jpeg = await sharp(picture(480, 320)).jpeg().toBuffer();
    const { result, written } = await runPlugin('nsfw-check', { image_base64: jpeg.toString('base64') }, { deadlineMs });
    expect(written).toEqual([]);
    expect(result).toMatchObject({ model: 'nsfwjs MobileNetV2', threshold: 0.7, width: 480, height: 320, nsfw: false });
    const scores = result.scores as Scores;
    expect(Object.keys(scores).sort()).toEqual(CLASSES);
    expect(Object.values(scores).reduce((sum, score) => sum + score, 0)).toBeCloseTo(1, 3);
    expect(result.nsfw_score).toBeCloseTo(scores.hentai! + scores.porn! + scores.sexy!, 3);
    // A plain drawing of shapes: nowhere near the default threshold.
    expect(result.nsfw_score).toBeLessThan(0.5);

    const strict = await runPlugin('nsfw-check', { image_base64: jpeg.toString('base64'), options: { threshold: 0 } }, { deadlineMs });
    expect(strict.result).toMatchObject({ nsfw: true, threshold: 0, scores, nsfw_score: result.nsfw_score });
  });

  it('reads a grey image with transparency (flattened to RGB at the model\'s input size)', async () => {
    const png = await sharp(picture(200, 300)).ensureAlpha(0.5).toColourspace('b-w').png().toBuffer();
    expect(await sharp(png).metadata()).toMatchObject({ channels: 2 });
    const { result } = await runPlugin('nsfw-check', { image_base64: png.toString('base64') }, { deadlineMs });
    expect(result).toMatchObject({ width: 200, height: 300, nsfw: expect.any(Boolean) });
    expect(Object.values(result.scores as Scores).reduce((sum, score) => sum + score, 0)).toBeCloseTo(1, 3);
  });

  it('runs the other model nsfwjs ships that plugins.yaml may name, MobileNetV2Mid', async () => {
    const jpeg = await sharp(picture(300, 300)).jpeg().toBuffer();
    const { result } = await runPlugin('nsfw-check', { image_base64: jpeg.toString('base64') }, { deadlineMs, config: { options: { model: 'MobileNetV2Mid' } } });
    expect(result).toMatchObject({ model: 'nsfwjs MobileNetV2Mid', nsfw: false });
    expect(Object.values(result.scores as Scores).reduce((sum, score) => sum + score, 0)).toBeCloseTo(1, 3);
  });

  it('refuses a decompression bomb, a non-image, a bad threshold and no input, before decoding', async () => {
    const bomb = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#000' } }).png().toBuffer();
    bomb.writeUInt32BE(60_000, 16);
    bomb.writeUInt32BE(60_000, 20);
    await expect(runPlugin('nsfw-check', { image_base64: bomb.toString('base64') })).rejects.toMatchObject({ status: 413, code: 'input_too_large' });
    await expect(runPlugin('nsfw-check', { image_base64: Buffer.from('not an image at all').toString('base64') })).rejects.toMatchObject({ status: 415, code: 'unsupported_format' });
    await expect(runPlugin('nsfw-check', { image_base64: 'aGk=', options: { threshold: 1.5 } })).rejects.toMatchObject({ status: 400, code: 'validation_failed' });
    await expect(runPlugin('nsfw-check', {})).rejects.toMatchObject({ status: 400, code: 'missing_input' });
  });

  it('answers 422 processing_timeout when the deadline has passed', async () => {
    const jpeg = await sharp(picture(64, 64)).jpeg().toBuffer();
    await expect(runPlugin('nsfw-check', { image_base64: jpeg.toString('base64') }, { deadlineMs: 1 })).rejects.toMatchObject({ status: 422, code: 'processing_timeout' });
  });

  it('is healthy with a model nsfwjs ships; an unknown model is unhealthy, saying why, and a call is 503 plugin_unavailable', async () => {
    const plugin = await loadPlugin('nsfw-check');
    const config = readPluginsFile().plugins['nsfw-check']!;
    await expect(plugin.health!(config, {})).resolves.toEqual({ healthy: true });
    const wrong = { ...config, options: { ...config.options, model: 'ResNet9000' } };
    await expect(plugin.health!(wrong, {})).resolves.toEqual({ healthy: false, reason: expect.stringMatching(/"ResNet9000".*MobileNetV2, MobileNetV2Mid/) });
    const jpeg = await sharp(picture(64, 64)).jpeg().toBuffer();
    await expect(runPlugin('nsfw-check', { image_base64: jpeg.toString('base64') }, { config: { options: { model: 'ResNet9000' } } })).rejects.toMatchObject({ status: 503, code: 'plugin_unavailable' });
  });
});

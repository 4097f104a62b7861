/** image-ocr through the registry, on images with known text the test draws; and that no worker thread outlives a call. */
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { Worker } from 'node:worker_threads';
import sharp from 'sharp';
import { recognize } from '../../adapters/capabilities/ocr-worker.ts';
import { runPlugin } from './support/harness.ts';
import { textImage } from './support/inputs.ts';

interface Word { text: string; confidence: number; bbox: { x0: number; y0: number; x1: number; y1: number } }

/**
 * Watches tesseract.js's worker threads: a thread is started when it is first posted to (its load
 * job), and ended by Worker#terminate. `ended()` waits until every thread started has exited.
 */
function watchThreads() {
  const posts = jest.spyOn(Worker.prototype, 'postMessage');
  const terminations = jest.spyOn(Worker.prototype, 'terminate');
  const started = () => new Set(posts.mock.contexts);
  return {
    started: () => started().size,
    async ended(): Promise<void> {
      // terminate() is called as the call settles, without being awaited there.
      const pending = () => [...started()].filter((worker) => !terminations.mock.contexts.includes(worker));
      for (let tries = 0; pending().length > 0 && tries < 600; tries += 1) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(pending()).toEqual([]);
      await Promise.all(terminations.mock.results.map((result) => result.value));
      for (const worker of started()) expect((worker as Worker).threadId).toBe(-1);
    },
  };
}

afterEach(() => {
  jest.restoreAllMocks();
});

describe('image-ocr', () => {
  it('reads the text of an image, with its confidence and size, and ends its worker thread', async () => {
    const threads = watchThreads();
    const png = await textImage(900, 240, ['Portico reads invoices', 'quantum giraffe 2048'], 56);
    const { result, written } = await runPlugin('image-ocr', { image_base64: png.toString('base64') });
    const text = String(result.text);
    for (const word of [/portico/i, /invoices/i, /quantum/i, /giraffe/i, /2048/]) expect(text).toMatch(word);
    expect(result).toMatchObject({ width: 900, height: 240, language: 'eng' });
    expect(result.confidence).toBeGreaterThan(60);
    expect(result).not.toHaveProperty('words');
    expect(written).toEqual([]);
    expect(threads.started()).toBe(1);
    await threads.ended();
  });

  it('lists the words with boxes in the input\'s pixels when the image was scaled down for recognition', async () => {
    // 1,800 pixels wide, recognised at 900: the boxes are scaled back.
    const png = await textImage(1800, 240, ['giraffe paperclip'], 120, 200);
    const { result } = await runPlugin('image-ocr', { image_base64: png.toString('base64'), options: { words: true, psm: 7 } }, { config: { options: { max_ocr_side: 900 } } });
    const words = result.words as Word[];
    expect(result.words_truncated).toBe(false);
    const giraffe = words.find((word) => /giraffe/i.test(word.text));
    expect(giraffe).toBeDefined();
    expect(giraffe!.confidence).toBeGreaterThan(50);
    // The word starts 200 pixels in; its box is roughly where it was drawn, inside the image.
    expect(Math.abs(giraffe!.bbox.x0 - 200)).toBeLessThan(40);
    expect(giraffe!.bbox.x1).toBeGreaterThan(giraffe!.bbox.x0 + 200);
    expect(giraffe!.bbox.y1).toBeLessThanOrEqual(240);
    expect(words.some((word) => /paperclip/i.test(word.text))).toBe(true);

    const capped = await runPlugin('image-ocr', { image_base64: png.toString('base64'), options: { words: true } }, { config: { options: { max_words: 1 } } });
    expect(capped.result).toMatchObject({ words_truncated: true });
    expect(capped.result.words).toHaveLength(1);
  });

  it('refuses what is not an image (415), a declared pixel bomb (413) and options it cannot honour (400)', async () => {
    await expect(runPlugin('image-ocr', { image_base64: Buffer.from('plain text, not an image').toString('base64') })).rejects.toMatchObject({ status: 415, code: 'unsupported_format' });
    const bomb = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#fff' } }).png().toBuffer();
    bomb.writeUInt32BE(60_000, 16);
    bomb.writeUInt32BE(60_000, 20);
    await expect(runPlugin('image-ocr', { image_base64: bomb.toString('base64') })).rejects.toMatchObject({ status: 413, code: 'input_too_large' });
    await expect(runPlugin('image-ocr', { image_base64: 'aGk=', options: { language: 'fra' } })).rejects.toMatchObject({ status: 400, code: 'validation_failed' });
    await expect(runPlugin('image-ocr', { image_base64: 'aGk=', options: { psm: 0 } })).rejects.toMatchObject({ status: 400, code: 'validation_failed' });
  });

  it('answers 422 when the deadline passes, and leaves no thread running', async () => {
    const threads = watchThreads();
    const png = await textImage(900, 240, ['Portico reads invoices'], 56);
    // Cut short in the image's preparation or the worker's start, whichever it is at on this machine.
    await expect(runPlugin('image-ocr', { image_base64: png.toString('base64') }, { deadlineMs: 150 })).rejects.toMatchObject({ status: 422, code: 'processing_timeout' });
    await threads.ended();
  });

  it('terminates the worker thread of a recognition cut short by its deadline', async () => {
    const threads = watchThreads();
    const png = await textImage(400, 100, ['deadline'], 48);
    const controller = new AbortController();
    const deadline = { signal: controller.signal, remainingMs: () => 0 };
    // Aborted while the worker starts or recognises, whichever it is doing 100 ms in.
    setTimeout(() => controller.abort(), 100);
    await expect(recognize(png, { language: 'eng', words: false, maxWorkers: 1, deadline })).rejects.toMatchObject({ status: 422, code: 'processing_timeout' });
    expect(threads.started()).toBe(1);
    await threads.ended();
  });

  it('reports itself healthy: the English data ships in node_modules', async () => {
    const { loadPlugin } = await import('../../adapters/capabilities/load-plugin.ts');
    const plugin = await loadPlugin('image-ocr');
    await expect(plugin.health!({ enabled: true, max_file_size: 1, supported_formats: [], options: {} }, {})).resolves.toEqual({ healthy: true });
  });
});

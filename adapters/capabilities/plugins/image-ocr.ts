/**
 * image-ocr: the text of an image, recognised by Tesseract (tesseract.js) in English, with its
 * confidence and, when asked, each word's box. The image is checked against the pixel cap from
 * its header, flattened on white, made grey and scaled down to max_ocr_side before recognition;
 * word boxes are given in the input image's pixels (after EXIF orientation).
 */
import { fileInputSchema } from '../../../domain/capabilities/schemas.ts';
import { numberOption } from '../../../domain/capabilities/config.ts';
import { definePlugin } from '../../../domain/capabilities/plugin.ts';
import type { OcrLanguage } from '../ocr-worker.ts';
import { imageSource } from '../image-options.ts';

export interface OcrInput {
  image_url?: string;
  image_base64?: string;
  options?: { language?: OcrLanguage; psm?: number; words?: boolean };
}

const MAX_INPUT_PIXELS = 50_000_000;
const MAX_OCR_SIDE = 4000;
const MAX_WORDS = 2000;
const LANGUAGE: OcrLanguage = 'eng';

export default definePlugin<OcrInput>({
  name: 'image-ocr',
  display_name: 'Image text recognition (OCR)',
  category: 'image',
  mode: 'both',
  packages: ['sharp', 'tesseract.js', '@tesseract.js-data/eng'],
  limits: { max_input_pixels: MAX_INPUT_PIXELS, max_ocr_side: MAX_OCR_SIDE, max_words: MAX_WORDS },
  inputSchema: fileInputSchema(imageSource, {
    properties: {
      language: { enum: ['eng'], description: 'The language of the text; English is the only one installed.' },
      // 0-2 and 12 need orientation data (osd) that is not installed, or recognise nothing.
      psm: { enum: [3, 4, 5, 6, 7, 8, 9, 10, 11, 13], description: 'Tesseract page segmentation mode: 3 automatic (default), 6 one block, 7 one line, 8 one word, 11 sparse text.' },
      words: { type: 'boolean', description: 'Also list each word with its confidence and box (default false).' },
    },
  }),
  async health() {
    const { ocrUnavailable } = await import('../ocr-worker.ts');
    const reason = await ocrUnavailable(LANGUAGE);
    return reason ? { healthy: false, reason } : { healthy: true };
  },
  async process(input, ctx) {
    const file = await ctx.source(input, 'image');
    const { openImage, encode } = await import('../sharp-input.ts');
    const { recognize } = await import('../ocr-worker.ts');
    const options = input.options ?? {};
    const maxPixels = numberOption(ctx.config, 'max_input_pixels', MAX_INPUT_PIXELS);
    const side = numberOption(ctx.config, 'max_ocr_side', MAX_OCR_SIDE);
    const maxWords = numberOption(ctx.config, 'max_words', MAX_WORDS);
    const image = await openImage(file.bytes, maxPixels);
    const pipeline = image.pipeline().flatten({ background: '#ffffff' }).grayscale().resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true });
    const { data: png, info } = await encode(pipeline, 'png', { maxPixels, deadline: ctx.deadline });
    const found = await recognize(png, {
      language: options.language ?? LANGUAGE,
      ...(options.psm === undefined ? {} : { psm: options.psm }),
      words: options.words === true,
      maxWorkers: numberOption(ctx.config, 'max_workers', 1),
      deadline: ctx.deadline,
    });
    // Boxes back in the input's pixels when it was scaled down for recognition.
    const factor = image.width / info.width;
    const at = (value: number) => Math.round(value * factor);
    const words = found.words.slice(0, maxWords).map(({ text, confidence, bbox }) => ({
      text, confidence: Math.round(confidence), bbox: { x0: at(bbox.x0), y0: at(bbox.y0), x1: at(bbox.x1), y1: at(bbox.y1) },
    }));
    return {
      text: found.text,
      confidence: Math.round(found.confidence),
      language: options.language ?? LANGUAGE,
      width: image.width,
      height: image.height,
      ...(options.words ? { words, words_truncated: found.words.length > maxWords } : {}),
    };
  },
});

/**
 * document-pdf-to-images: a PDF's pages rendered to PNG or WebP by pdf.js on @napi-rs/canvas, at
 * a scale or dpi. Refused before anything is rendered or written: a document past the page cap,
 * a selection of more pages than a call renders, a page whose rendering would pass the pixel cap
 * (a huge MediaBox).
 */
import { fileInputSchema } from '../../../domain/capabilities/schemas.ts';
import { numberOption, stringOption } from '../../../domain/capabilities/config.ts';
import { inputTooLarge, invalidInput } from '../../../domain/capabilities/errors.ts';
import { definePlugin } from '../../../domain/capabilities/plugin.ts';
import type { PageImageFormat } from '../pdf-document.ts';
import { pageCap, pageOptions, pdfHealth, pdfSource, selectPages, type PageOptions } from '../pdf-options.ts';

export interface PdfToImagesInput {
  pdf_url?: string;
  pdf_base64?: string;
  options?: PageOptions & { format?: PageImageFormat; scale?: number; dpi?: number; quality?: number };
}

const MAX_PAGES = 500;
const MAX_RENDERED_PAGES = 20;
const MAX_PAGE_PIXELS = 25_000_000;
/** Past this a side is refused whatever the pixel count (canvases have a side limit). */
const MAX_SIDE = 16_384;
const MAX_SCALE = 4;
/** PDF user space is 72 units an inch: scale = dpi / 72. */
const POINTS_PER_INCH = 72;
const MEDIA_TYPES: Readonly<Record<PageImageFormat, string>> = { png: 'image/png', webp: 'image/webp' };

export default definePlugin<PdfToImagesInput>({
  name: 'document-pdf-to-images',
  display_name: 'PDF to images',
  category: 'document',
  mode: 'both',
  packages: ['pdfjs-dist', '@napi-rs/canvas', 'sharp'],
  limits: { max_pages: MAX_PAGES, max_rendered_pages: MAX_RENDERED_PAGES, max_page_pixels: MAX_PAGE_PIXELS, max_side: MAX_SIDE, max_scale: MAX_SCALE },
  inputSchema: fileInputSchema(pdfSource, {
    properties: {
      ...pageOptions,
      format: { enum: ['png', 'webp'], description: 'Image format (default png).' },
      scale: { type: 'number', minimum: 0.1, maximum: MAX_SCALE, description: 'Pixels per PDF point (1 = 72 dpi). Default: 2 (144 dpi).' },
      dpi: { type: 'number', minimum: 0.1 * POINTS_PER_INCH, maximum: MAX_SCALE * POINTS_PER_INCH, description: 'Dots per inch, instead of scale (give one of the two).' },
      quality: { type: 'integer', minimum: 1, maximum: 100, description: 'WebP quality (default 90); PNG is lossless.' },
    },
  }),
  health: () => pdfHealth(true),
  async process(input, ctx) {
    const file = await ctx.source(input, 'pdf');
    const { withPdf, renderedSize, renderPage } = await import('../pdf-document.ts');
    const options = input.options ?? {};
    if (options.scale !== undefined && options.dpi !== undefined) {
      throw invalidInput('Give options.scale or options.dpi, not both.', [{ pointer: '/body/options/dpi', detail: 'with scale' }]);
    }
    const maxPagePixels = numberOption(ctx.config, 'max_page_pixels', MAX_PAGE_PIXELS);
    const maxRendered = numberOption(ctx.config, 'max_rendered_pages', MAX_RENDERED_PAGES);
    const format = options.format ?? (stringOption(ctx.config, 'default_format', 'png') as PageImageFormat);
    const quality = options.quality ?? numberOption(ctx.config, 'default_quality', 90);
    const scale = options.scale ?? (options.dpi ?? numberOption(ctx.config, 'default_dpi', 144)) / POINTS_PER_INCH;
    const limits = { maxPages: pageCap(ctx.config, options.max_pages, MAX_PAGES), maxImagePixels: maxPagePixels, deadline: ctx.deadline };
    return withPdf(file.bytes, limits, async (pdf) => {
      const selected = selectPages(options.pages, pdf.pageCount);
      if (selected.length > maxRendered) {
        throw inputTooLarge(`The selection has ${selected.length} pages; a call renders at most ${maxRendered}: choose them with options.pages.`);
      }
      // Every page's size is checked before the first is rendered, so a refusal writes nothing.
      const pages = [];
      for (const number of selected) {
        const page = await pdf.page(number);
        const { width, height } = renderedSize(page, scale);
        if (width * height > maxPagePixels || width > MAX_SIDE || height > MAX_SIDE) {
          throw inputTooLarge(`Page ${number} would render at ${width} × ${height} pixels; the most is ${maxPagePixels} pixels and ${MAX_SIDE} a side: lower the scale or dpi.`);
        }
        pages.push(page);
      }
      const images = [];
      for (const page of pages) {
        const { bytes, width, height } = await renderPage(page, { scale, format, quality, deadline: ctx.deadline });
        const stored = await ctx.output(bytes, { contentType: MEDIA_TYPES[format], extension: format, suffix: `page-${page.pageNumber}` });
        images.push({ page: page.pageNumber, output_url: stored.url, width, height, size: stored.size });
      }
      return { page_count: pdf.pageCount, format, scale, images };
    });
  },
});

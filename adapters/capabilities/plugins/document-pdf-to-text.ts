/**
 * document-pdf-to-text: the text of a PDF's pages, as pdf.js extracts it (no OCR: a scanned page
 * has none). A document past the page cap is refused before any page is read; the text is cut
 * at max_text_chars and says so.
 */
import { fileInputSchema } from '../../../domain/capabilities/schemas.ts';
import { numberOption } from '../../../domain/capabilities/config.ts';
import { definePlugin } from '../../../domain/capabilities/plugin.ts';
import { pageCap, pageOptions, pdfHealth, pdfSource, selectPages, type PageOptions } from '../pdf-options.ts';

export interface PdfToTextInput {
  pdf_url?: string;
  pdf_base64?: string;
  options?: PageOptions;
}

const MAX_PAGES = 500;
const MAX_TEXT_CHARS = 1_000_000;

export default definePlugin<PdfToTextInput>({
  name: 'document-pdf-to-text',
  display_name: 'PDF to text',
  category: 'document',
  mode: 'both',
  packages: ['pdfjs-dist'],
  limits: { max_pages: MAX_PAGES, max_text_chars: MAX_TEXT_CHARS },
  inputSchema: fileInputSchema(pdfSource, { properties: { ...pageOptions } }),
  health: () => pdfHealth(false),
  async process(input, ctx) {
    const file = await ctx.source(input, 'pdf');
    const { withPdf, pageText } = await import('../pdf-document.ts');
    const maxChars = numberOption(ctx.config, 'max_text_chars', MAX_TEXT_CHARS);
    const limits = {
      maxPages: pageCap(ctx.config, input.options?.max_pages, MAX_PAGES),
      // Text extraction decodes no image; should pdf.js try, none may be decoded.
      maxImagePixels: 1,
      deadline: ctx.deadline,
    };
    return withPdf(file.bytes, limits, async (pdf) => {
      const pages: { page: number; text: string }[] = [];
      let room = maxChars;
      let truncated = false;
      for (const number of selectPages(input.options?.pages, pdf.pageCount)) {
        const text = await pageText(await pdf.page(number), ctx.deadline);
        pages.push({ page: number, text: text.slice(0, room) });
        if (text.length > room) {
          truncated = true;
          break;
        }
        room -= text.length;
      }
      return { page_count: pdf.pageCount, pages, text: pages.map((page) => page.text).join('\n\n'), truncated, max_text_chars: maxChars };
    });
  },
});

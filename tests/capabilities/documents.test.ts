/** document-pdf-to-text and document-pdf-to-images through the registry, on PDFs the test writes. */
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import sharp from 'sharp';
import { MemoryBlobStore } from '../../adapters/memory/blobs.ts';
import { runPlugin } from './support/harness.ts';
import { textPdf } from './support/inputs.ts';

/** A PDF written by hand: object n is objects[n - 1], an exact xref table, and `trailer` added to the trailer. */
function handPdf(objects: string[], trailer = ''): Buffer {
  let body = '%PDF-1.7\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(body.length);
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${trailer}>>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** `count` empty 10 × 10 pages: a few hundred bytes a page, parsed by nobody until a page is asked for. */
function manyPages(count: number): Buffer {
  const kids = Array.from({ length: count }, (_, index) => `${index + 3} 0 R`).join(' ');
  const pages = Array.from({ length: count }, () => '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>');
  return handPdf(['<< /Type /Catalog /Pages 2 0 R >>', `<< /Type /Pages /Kids [${kids}] /Count ${count} >>`, ...pages]);
}

/** Standard security handler, revision 2, whose /U matches no password: the empty user password fails. */
function encryptedPdf(): Buffer {
  const hex = (byte: string, length: number) => `<${byte.repeat(length)}>`;
  return handPdf(
    [
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>',
      `<< /Filter /Standard /V 1 /R 2 /O ${hex('ab', 32)} /U ${hex('cd', 32)} /P -4 >>`,
    ],
    `/Encrypt 4 0 R /ID [${hex('01', 16)} ${hex('01', 16)}] `,
  );
}

const base64 = (bytes: Buffer) => bytes.toString('base64');

/** Every write to any in-memory store (the harness makes its own), to prove a refusal wrote nothing. */
const spyOnWrites = () => jest.spyOn(MemoryBlobStore.prototype, 'put');

afterEach(() => {
  jest.restoreAllMocks();
});

describe('document-pdf-to-text', () => {
  const words = ['alpha', 'bravo', 'charlie'];

  it('gives each page\'s text, the whole text and the page count', async () => {
    const pdf = await textPdf(words.map((word) => ({ text: `Page ${word} marker` })));
    const { result } = await runPlugin('document-pdf-to-text', { pdf_base64: base64(pdf) });
    expect(result).toMatchObject({ page_count: 3, truncated: false });
    const pages = result.pages as { page: number; text: string }[];
    expect(pages.map((page) => page.page)).toEqual([1, 2, 3]);
    pages.forEach((page, index) => expect(page.text).toBe(`Page ${words[index]} marker`));
    expect(result.text).toBe('Page alpha marker\n\nPage bravo marker\n\nPage charlie marker');
  });

  it('reads only the pages selected, and cuts the text at max_text_chars', async () => {
    const pdf = await textPdf(words.map((word) => ({ text: `Page ${word} marker` })));
    const selected = await runPlugin('document-pdf-to-text', { pdf_base64: base64(pdf), options: { pages: '3,2-' } });
    expect((selected.result.pages as { page: number }[]).map((page) => page.page)).toEqual([2, 3]);
    expect(selected.result.page_count).toBe(3);
    // "Page alpha marker" is 17 characters: 20 leave 3 for the second page.
    const cut = await runPlugin('document-pdf-to-text', { pdf_base64: base64(pdf) }, { config: { options: { max_text_chars: 20 } } });
    expect(cut.result).toMatchObject({ truncated: true, pages: [{ page: 1, text: 'Page alpha marker' }, { page: 2, text: 'Pag' }] });
    await expect(runPlugin('document-pdf-to-text', { pdf_base64: base64(pdf), options: { pages: '7-9' } })).rejects.toMatchObject({ status: 400, code: 'invalid_input' });
    await expect(runPlugin('document-pdf-to-text', { pdf_base64: base64(pdf), options: { pages: 'all' } })).rejects.toMatchObject({ status: 400, code: 'validation_failed' });
  });

  it('refuses a PDF of 2,000 pages from its page count (413), and one past the caller\'s own max_pages', async () => {
    await expect(runPlugin('document-pdf-to-text', { pdf_base64: base64(manyPages(2000)) })).rejects.toMatchObject({
      status: 413, code: 'input_too_large', message: 'The PDF has 2000 pages; this plugin reads documents of at most 500.',
    });
    const pdf = await textPdf(words.map((word) => ({ text: word })));
    await expect(runPlugin('document-pdf-to-text', { pdf_base64: base64(pdf), options: { max_pages: 2 } })).rejects.toMatchObject({ status: 413, code: 'input_too_large' });
  });

  it('refuses what is not a PDF (415), a corrupt PDF and an encrypted one (400)', async () => {
    await expect(runPlugin('document-pdf-to-text', { pdf_base64: base64(Buffer.from('plain text, not a PDF')) })).rejects.toMatchObject({ status: 415, code: 'unsupported_format' });
    const corrupt = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> garbage\n'.repeat(3), 'latin1');
    await expect(runPlugin('document-pdf-to-text', { pdf_base64: base64(corrupt) })).rejects.toMatchObject({ status: 400, code: 'invalid_input' });
    await expect(runPlugin('document-pdf-to-text', { pdf_base64: base64(encryptedPdf()) })).rejects.toMatchObject({ status: 400, code: 'invalid_input', message: expect.stringContaining('password') });
  });
});

describe('document-pdf-to-images', () => {
  const pages = [
    { text: 'First', size: [300, 200] as [number, number] },
    { text: 'Second', size: [200, 400] as [number, number] },
    { text: 'Third', size: [300, 200] as [number, number] },
  ];

  it('renders every page as PNG at its size times the scale, text drawn on white, fetching nothing', async () => {
    const fetches = jest.spyOn(globalThis, 'fetch');
    const pdf = await textPdf(pages);
    const { result, read, written } = await runPlugin('document-pdf-to-images', { pdf_base64: base64(pdf), options: { scale: 1.5 } });
    expect(result).toMatchObject({ page_count: 3, format: 'png', scale: 1.5 });
    const images = result.images as { page: number; output_url: string; width: number; height: number }[];
    expect(images.map(({ page, width, height }) => ({ page, width, height }))).toEqual([
      { page: 1, width: 450, height: 300 },
      { page: 2, width: 300, height: 600 },
      { page: 3, width: 450, height: 300 },
    ]);
    expect(written).toHaveLength(3);
    for (const image of images) {
      expect(image.output_url).toMatch(new RegExp(`/uploads/[0-9a-f]{32}_page-${image.page}\\.png$`));
      const output = await read(image.output_url);
      expect(output.contentType).toBe('image/png');
      expect(await sharp(output.bytes).metadata()).toMatchObject({ format: 'png', width: image.width, height: image.height });
      // Mostly white, with some dark pixels: the text.
      const stats = await sharp(output.bytes).greyscale().stats();
      expect(stats.channels[0]!.max).toBeGreaterThan(250);
      expect(stats.channels[0]!.min).toBeLessThan(80);
    }
    // Helvetica is not embedded: pdf.js read its stand-in from pdfjs-dist's folder, not from a URL.
    expect(fetches).not.toHaveBeenCalled();
  });

  it('renders the selected pages as WebP at a dpi', async () => {
    const pdf = await textPdf(pages);
    const { result, read } = await runPlugin('document-pdf-to-images', { pdf_base64: base64(pdf), options: { format: 'webp', dpi: 36, pages: '2' } });
    const images = result.images as { page: number; output_url: string; width: number; height: number }[];
    expect(images).toMatchObject([{ page: 2, width: 100, height: 200 }]);
    const output = await read(images[0]!.output_url);
    expect(output.contentType).toBe('image/webp');
    expect(await sharp(output.bytes).metadata()).toMatchObject({ format: 'webp', width: 100, height: 200 });
  });

  it('refuses before rendering anything: 2,000 pages, too many pages selected, a page past the pixel cap', async () => {
    const writes = spyOnWrites();
    await expect(runPlugin('document-pdf-to-images', { pdf_base64: base64(manyPages(2000)) })).rejects.toMatchObject({ status: 413, code: 'input_too_large' });
    const pdf = await textPdf(pages);
    await expect(runPlugin('document-pdf-to-images', { pdf_base64: base64(pdf) }, { config: { options: { max_rendered_pages: 2 } } })).rejects.toMatchObject({
      status: 413, code: 'input_too_large', message: expect.stringContaining('options.pages'),
    });
    // The last page is 200 inches square (the largest a PDF page may be): 57,600 pixels a side at 288 dpi.
    const huge = await textPdf([{ text: 'small' }, { text: 'huge', size: [14_400, 14_400] }]);
    await expect(runPlugin('document-pdf-to-images', { pdf_base64: base64(huge), options: { dpi: 288 } })).rejects.toMatchObject({
      status: 413, code: 'input_too_large', message: expect.stringContaining('Page 2'),
    });
    expect(writes).not.toHaveBeenCalled();
  });

  it('refuses what is not a PDF, a corrupt one, and scale with dpi', async () => {
    await expect(runPlugin('document-pdf-to-images', { pdf_base64: base64(Buffer.from('GIF89a, not a PDF')) })).rejects.toMatchObject({ status: 415, code: 'unsupported_format' });
    const truncated = (await textPdf(pages)).subarray(0, 40);
    await expect(runPlugin('document-pdf-to-images', { pdf_base64: base64(truncated) })).rejects.toMatchObject({ status: 400, code: 'invalid_input' });
    await expect(runPlugin('document-pdf-to-images', { pdf_base64: 'JVBERi0=', options: { scale: 1, dpi: 72 } })).rejects.toMatchObject({ status: 400, code: 'invalid_input' });
    await expect(runPlugin('document-pdf-to-images', { pdf_base64: 'JVBERi0=', options: { scale: 5 } })).rejects.toMatchObject({ status: 400, code: 'validation_failed' });
  });
});

/** Inputs the capability tests generate: images with text drawn in a font from npm, PDFs written by pdf-lib, videos made by ffmpeg. */
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';

// A font that ships in an npm package (pdf.js's Liberation Sans), not one the machine may lack.
const FONT = join(dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts', 'LiberationSans-Regular.ttf');
GlobalFonts.registerFromPath(FONT, 'OcrTestSans');

/** Black text on white, one line per entry, `size` pixels high, starting `left` pixels in. */
export async function textImage(width: number, height: number, lines: string[], size: number, left = 40): Promise<Buffer> {
  const canvas = createCanvas(width, height);
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);
  context.fillStyle = '#000000';
  context.font = `${size}px OcrTestSans`;
  lines.forEach((line, index) => context.fillText(line, left, size * 1.4 * (index + 1)));
  return canvas.encode('png');
}

/** A PDF with one page per entry: its size in points and a line of text in Helvetica (not embedded: pdf.js uses its own copy). */
export async function textPdf(pages: { text: string; size?: [number, number] }[]): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const { text, size } of pages) {
    const [width, height]: [number, number] = size ?? [300, 200];
    pdf.addPage([width, height]).drawText(text, { x: 20, y: height / 2, size: 18, font });
  }
  return Buffer.from(await pdf.save());
}


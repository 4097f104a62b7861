/**
 * pdf.js (its legacy build, the one made for Node) set up for strangers' PDFs, written once for
 * the PDF plugins: nothing fetched (fonts, CMaps and wasm come from the pdfjs-dist package's own
 * folders), no eval, no font faces, embedded images past a pixel cap never decoded; the page
 * count checked before any page is read; every step raced against the call's deadline; the
 * document destroyed whatever happens. pdf.js's errors become 4xx: a broken PDF is the caller's.
 * Plugin modules import this lazily.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { AnnotationMode, getDocument, VerbosityLevel, type PDFDocumentProxy, type PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { invalidInput } from '../../domain/capabilities/errors.ts';
import type { Deadline } from '../../domain/capabilities/plugin.ts';
import { AppError } from '../../domain/errors.ts';
import { checkPageCount } from './pdf-options.ts';
import { withDeadline } from '../../domain/capabilities/deadline.ts';

// Under Node pdf.js parses on this thread (a "fake worker"); given the worker module here, it never
// imports one by URL. The specifier is a variable because pdfjs-dist ships no types for it.
const WORKER_MODULE = 'pdfjs-dist/legacy/build/pdf.worker.mjs';
const scope = globalThis as { pdfjsWorker?: unknown };
scope.pdfjsWorker ??= await import(WORKER_MODULE);

const PDFJS_FOLDER = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
const folder = (name: string) => `${join(PDFJS_FOLDER, name)}/`;

/** Read from the package's folders by Node's file system (useWorkerFetch false): no URL is ever fetched. */
const DOCUMENT_OPTIONS = {
  isEvalSupported: false,
  disableFontFace: true,
  useSystemFonts: false,
  useWorkerFetch: false,
  enableXfa: false,
  verbosity: VerbosityLevel.ERRORS,
  standardFontDataUrl: folder('standard_fonts'),
  cMapUrl: folder('cmaps'),
  cMapPacked: true,
  wasmUrl: folder('wasm'),
  iccUrl: folder('iccs'),
} as const;

export interface PdfLimits {
  /** The most pages a document may have: past it, 413 before any page is read. */
  maxPages: number;
  /** Embedded images with more pixels are skipped, never decoded (an image bomb inside a PDF). */
  maxImagePixels: number;
  deadline: Deadline;
}

export interface PdfDocument {
  pageCount: number;
  page(number: number): Promise<PDFPageProxy>;
}

/** pdf.js's errors as the caller's refusals (they are all about the file); ours pass through. */
export function pdfRefusal(error: unknown): Error {
  if (error instanceof AppError) return error;
  const { name, message } = error instanceof Error ? error : { name: '', message: String(error) };
  if (name === 'PasswordException') return invalidInput('The PDF is encrypted (password-protected); send it decrypted.');
  return invalidInput(`The input is not a PDF we can read; it may be corrupt or truncated (${message.slice(0, 200)}).`);
}

const refused = <T>(work: Promise<T>, deadline: Deadline): Promise<T> =>
  withDeadline(work, deadline).catch((error: unknown) => {
    throw pdfRefusal(error);
  });

/** Opens the PDF, checks its page count, runs `use` on it, and destroys it (also when the deadline passes). */
export async function withPdf<T>(bytes: Uint8Array, limits: PdfLimits, use: (pdf: PdfDocument) => Promise<T>): Promise<T> {
  const { deadline } = limits;
  // pdf.js takes ownership of (and may detach) the buffer it is given.
  const task = getDocument({ ...DOCUMENT_OPTIONS, data: bytes.slice(), maxImageSize: limits.maxImagePixels });
  const destroy = () => void task.destroy();
  deadline.signal.addEventListener('abort', destroy, { once: true });
  try {
    const pdf: PDFDocumentProxy = await refused(task.promise, deadline);
    checkPageCount(pdf.numPages, limits.maxPages);
    return await use({ pageCount: pdf.numPages, page: (number) => refused(pdf.getPage(number), deadline) });
  } finally {
    deadline.signal.removeEventListener('abort', destroy);
    await task.destroy();
  }
}

/** The page's text in reading order as pdf.js gives it, a line break where the PDF ends a line. */
export async function pageText(page: PDFPageProxy, deadline: Deadline): Promise<string> {
  const content = await refused(page.getTextContent(), deadline);
  const text = content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join('');
  page.cleanup();
  return text.trim();
}

/** The size in pixels of the page rendered at `scale` (its MediaBox/CropBox and rotation applied). */
export function renderedSize(page: PDFPageProxy, scale: number): { width: number; height: number } {
  const viewport = page.getViewport({ scale });
  return { width: Math.ceil(viewport.width), height: Math.ceil(viewport.height) };
}

export type PageImageFormat = 'png' | 'webp';

/** Renders the page at `scale` (white background, annotations drawn) and encodes it; the size must have been checked. */
export async function renderPage(page: PDFPageProxy, options: { scale: number; format: PageImageFormat; quality: number; deadline: Deadline }) {
  const viewport = page.getViewport({ scale: options.scale });
  const { width, height } = renderedSize(page, options.scale);
  const canvas = createCanvas(width, height);
  // pdf.js types `canvas` as the DOM's; @napi-rs/canvas is what its Node canvas factory makes too.
  const render = page.render({ canvas: canvas as never, viewport, annotationMode: AnnotationMode.ENABLE });
  const cancel = () => render.cancel();
  options.deadline.signal.addEventListener('abort', cancel, { once: true });
  try {
    await refused(render.promise, options.deadline);
  } finally {
    options.deadline.signal.removeEventListener('abort', cancel);
    page.cleanup();
  }
  const bytes = await withDeadline(options.format === 'png' ? canvas.encode('png') : canvas.encode('webp', options.quality), options.deadline);
  return { bytes, width, height };
}

/**
 * The input both PDF plugins take, written once and light (no pdf.js here: the registry imports
 * plugin modules just to list them): the source fields, the page selection and its parsing, and
 * the page-count cap every PDF is checked against before any page is read.
 */
import { numberOption } from '../../domain/capabilities/config.ts';
import { inputTooLarge, invalidInput } from '../../domain/capabilities/errors.ts';
import type { PluginConfig, PluginHealth } from '../../domain/capabilities/plugin.ts';

export const pdfSource = {
  pdf_url: { type: 'string', format: 'uri', maxLength: 2048, description: 'A public http(s) URL of the PDF.' },
  pdf_base64: { type: 'string', description: 'The PDF as base64 (a data: URL is accepted).' },
} as const;

/** A selection like `1-3,5,9-`: pages and ranges, 1-based, an open range running to the last page. */
const SELECTION = /^\d+(-\d*)?(,\d+(-\d*)?)*$/;

export const pageOptions = {
  pages: {
    type: 'string', maxLength: 200, pattern: SELECTION.source,
    description: 'The pages to read, 1-based: `1-3,5,9-` (an open range runs to the last page; pages past the last are ignored). Default: all.',
  },
  max_pages: {
    type: 'integer', minimum: 1, maximum: 100_000,
    description: 'Refuse (413) a document with more pages than this; it can only lower the deployment\'s own cap.',
  },
} as const;

export interface PageOptions {
  pages?: string;
  max_pages?: number;
}

/** The document page cap: plugins.yaml's `max_pages`, lowered by the caller's `max_pages`. */
export function pageCap(config: PluginConfig, given: number | undefined, fallback: number): number {
  const cap = numberOption(config, 'max_pages', fallback);
  return given === undefined ? cap : Math.min(cap, given);
}

/** Refuses a document past the page cap: called on the page count alone, before any page is read. */
export function checkPageCount(pageCount: number, cap: number): void {
  if (pageCount > cap) throw inputTooLarge(`The PDF has ${pageCount} pages; this plugin reads documents of at most ${cap}.`);
}

/** The selected page numbers of a `pageCount`-page document, ascending, each once; 400 when none is in it. */
export function selectPages(selection: string | undefined, pageCount: number): number[] {
  if (selection === undefined) return Array.from({ length: pageCount }, (_, index) => index + 1);
  const chosen = new Set<number>();
  for (const part of selection.split(',')) {
    const [first, last] = part.split('-');
    const from = Number(first);
    // "5" is one page, "5-" runs to the end, "5-9" is a range (backwards ranges are read forwards).
    const to = last === undefined ? from : last === '' ? pageCount : Number(last);
    for (let page = Math.max(1, Math.min(from, to)); page <= Math.min(pageCount, Math.max(from, to)); page += 1) chosen.add(page);
  }
  if (chosen.size === 0) {
    throw invalidInput(`The PDF has ${pageCount} page${pageCount === 1 ? '' : 's'}; the selection "${selection}" names none of them.`, [
      { pointer: '/body/options/pages', detail: 'no page of the document' },
    ]);
  }
  return [...chosen].sort((a, b) => a - b);
}

const loadError = (name: string, error: unknown): PluginHealth => ({
  healthy: false,
  reason: `${name} cannot be loaded: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`,
});

/** Can pdf.js (and, to render, @napi-rs/canvas's native binary) load here? Imported once, then cached. */
export async function pdfHealth(render: boolean): Promise<PluginHealth> {
  try {
    await import('pdfjs-dist/legacy/build/pdf.mjs');
  } catch (error) {
    return loadError('pdfjs-dist', error);
  }
  if (render) {
    try {
      await import('@napi-rs/canvas');
    } catch (error) {
      return loadError('@napi-rs/canvas', error);
    }
  }
  return { healthy: true };
}

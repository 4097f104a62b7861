/**
 * Tesseract, as tesseract.js runs it (the C++ engine compiled to wasm, in a worker thread), with
 * its language data read from an npm package's folder: nothing is downloaded or cached on disk,
 * and the worker script and wasm core are the ones in node_modules.
 *
 * One worker per call, terminated when the call ends however it ends (deadline included): about
 * 0.5 s to start, about 100 MB while it runs, and nothing left afterwards: no idle thread holding
 * memory, keeping a test run or a Lambda's event loop alive. At most `maxWorkers` run at once in
 * a process; the calls past that wait their turn within their own deadline.
 */
import { access } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Worker as ThreadWorker } from 'node:worker_threads';
import type Tesseract from 'tesseract.js';
import { processingTimeout } from '../../domain/capabilities/errors.ts';
import type { Deadline } from '../../domain/capabilities/plugin.ts';
import { withDeadline } from '../../domain/capabilities/deadline.ts';

/** The languages whose data an installed package ships (@tesseract.js-data/<code>). */
export const OCR_LANGUAGES = ['eng'] as const;
export type OcrLanguage = (typeof OCR_LANGUAGES)[number];

/** The integer LSTM model: what the LSTM engine reads, 3 MB against 11 for the full one. */
const DATA_VERSION = '4.0.0_best_int';
const require = createRequire(import.meta.url);

const dataFile = (language: OcrLanguage) =>
  join(dirname(require.resolve(`@tesseract.js-data/${language}/package.json`)), DATA_VERSION, `${language}.traineddata.gz`);

/** Why OCR in `language` cannot run here, or undefined when it can (for health: no worker is started). */
export async function ocrUnavailable(language: OcrLanguage): Promise<string | undefined> {
  let file: string;
  try {
    require.resolve('tesseract.js');
    require.resolve('tesseract.js-core/package.json');
    file = dataFile(language);
  } catch (error) {
    return `a package is not installed: ${(error as Error).message.split('\n')[0]}`;
  }
  try {
    await access(file);
    return undefined;
  } catch {
    return `the trained data ${file} is missing`;
  }
}

let running = 0;
const waiting: (() => void)[] = [];

/** A turn among `limit` concurrent workers; the release function gives it to the next caller. */
function turn(limit: number, deadline: Deadline): Promise<() => void> {
  const release = () => {
    running -= 1;
    waiting.shift()?.();
  };
  if (running < limit) {
    running += 1;
    return Promise.resolve(release);
  }
  const budget = deadline.remainingMs();
  return new Promise((resolve, reject) => {
    const start = () => {
      deadline.signal.removeEventListener('abort', giveUp);
      running += 1;
      resolve(release);
    };
    const giveUp = () => {
      waiting.splice(waiting.indexOf(start), 1);
      reject(processingTimeout(budget));
    };
    waiting.push(start);
    deadline.signal.addEventListener('abort', giveUp, { once: true });
  });
}

export interface OcrWord {
  text: string;
  confidence: number;
  bbox: { x0: number; y0: number; x1: number; y1: number };
}

export interface OcrOptions {
  language: OcrLanguage;
  /** Tesseract's page segmentation mode; its default (3, automatic) when absent. */
  psm?: number;
  /** Collect the words with their boxes (Tesseract's block tree: slower to build and pass back). */
  words: boolean;
  maxWorkers: number;
  deadline: Deadline;
}

/** Recognises the text of `image` (an encoded image; PNG here): the text, mean confidence, and the words when asked. */
export async function recognize(image: Buffer, options: OcrOptions): Promise<{ text: string; confidence: number; words: OcrWord[] }> {
  const { deadline } = options;
  // Whatever can fail before a worker exists fails before the turn is taken.
  const { default: tesseract } = await import('tesseract.js');
  const langPath = dirname(dataFile(options.language));
  const release = await turn(options.maxWorkers, deadline);
  const starting = tesseract.createWorker(options.language, tesseract.OEM.LSTM_ONLY, {
    langPath,
    gzip: true,
    cacheMethod: 'none',
    logger: () => undefined,
    // Without a handler tesseract.js rethrows a failed job inside its message listener: an uncaught exception.
    errorHandler: () => undefined,
  });
  try {
    const worker = await withDeadline(starting, deadline);
    // tesseract.js listens for its thread's crash with `onerror`, which Node's Worker never calls: this does.
    (worker as unknown as { worker: ThreadWorker }).worker.on('error', () => void worker.terminate());
    if (options.psm !== undefined) await withDeadline(worker.setParameters({ tessedit_pageseg_mode: String(options.psm) as Tesseract.PSM }), deadline);
    const { data } = await withDeadline(worker.recognize(image, {}, { text: true, blocks: options.words, hocr: false, tsv: false }), deadline);
    const words = (data.blocks ?? []).flatMap((block) => block.paragraphs.flatMap((paragraph) => paragraph.lines.flatMap((line) => line.words)));
    return {
      text: data.text.trim(),
      confidence: data.confidence,
      words: words.map((word) => ({ text: word.text, confidence: word.confidence, bbox: { ...word.bbox } })),
    };
  } catch (error) {
    // tesseract.js rejects with the worker's message as a string.
    throw error instanceof Error ? error : new Error(`tesseract: ${String(error)}`);
  } finally {
    // Also a worker still starting when the deadline passed: terminated once it is up, and only then is the turn given on.
    void starting.then((worker) => worker.terminate(), () => undefined).finally(release);
  }
}

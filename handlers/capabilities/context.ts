/**
 * The context a plugin runs in: its input file (uploaded, fetched by URL through the SSRF-safe
 * fetcher, or decoded from base64; capped and sniffed), its output objects (unguessable keys,
 * public or signed URLs), the model, a logger and one deadline. Built per call.
 */
import { randomBytes } from 'node:crypto';
import type { LanguageModel } from '../../domain/ai.ts';
import { inputTooLarge, invalidInput, missingInput, unsupportedFormat } from '../../domain/capabilities/errors.ts';
import { canonicalFormat, sniffFormat } from '../../domain/capabilities/formats.ts';
import type { Deadline, PluginConfig, PluginContext, PluginLog, SourceFile, SourceKind, StoredOutput } from '../../domain/capabilities/plugin.ts';
import type { FileFetcher } from '../../domain/capabilities/ports.ts';
import type { BlobStore } from '../../domain/ports.ts';
import type { BackgroundRemover } from '../../domain/wardrobe/media.ts';
import { FetchFailedError } from '../../domain/wardrobe/page-fetch.ts';

/** Where outputs go and how their URLs are made (CAPABILITIES_OUTPUT_* settings). */
export interface OutputSettings {
  container: string;
  /** Prepended to every key (`uploads/`, as the seed's URLs show). */
  prefix: string;
  /** When set, output_url is this plus the key (an R2 or CDN public bucket); else a signed URL. */
  publicBaseUrl?: string;
  signedUrlTtlSeconds: number;
}

export interface PluginContextDeps {
  config: PluginConfig;
  blobs: BlobStore;
  files: FileFetcher;
  model: LanguageModel;
  segmentation?: BackgroundRemover;
  output: OutputSettings;
  log: PluginLog;
  deadline: Deadline;
  /** The file of a multipart request, which wins over any URL or base64 in the input. */
  upload?: SourceFile;
  /** Called with every object written, so a failed call can remove what it wrote. */
  onOutput?: (key: string) => void;
}

/** One deadline of `ms`, also ended by `outer` (the client went away, the job's lease ran out). */
export function createDeadline(ms: number, outer?: AbortSignal, now: () => number = Date.now): Deadline {
  const end = now() + ms;
  const timeout = AbortSignal.timeout(ms);
  return { signal: outer ? AbortSignal.any([timeout, outer]) : timeout, remainingMs: () => Math.max(0, end - now()) };
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/;

/** Decodes base64 (standard or URL-safe, an optional `data:` prefix, whitespace ignored), refusing anything else and anything past `maxBytes` before decoding it. */
export function decodeBase64(text: string, field: string, maxBytes: number): SourceFile {
  let body = text;
  let contentType: string | undefined;
  const dataUrl = /^data:([^;,]*)(;[^,]*)?,/.exec(body);
  if (dataUrl) {
    if (!dataUrl[2]?.includes(';base64')) throw invalidInput(`${field} is a data: URL without ;base64.`, [{ pointer: `/body/${field}`, detail: 'not base64' }]);
    contentType = dataUrl[1] || undefined;
    body = body.slice(dataUrl[0].length);
  }
  body = body.replace(/\s+/g, '');
  if (Math.floor((body.length * 3) / 4) - 2 > maxBytes) throw inputTooLarge(`${field} decodes to more than ${maxBytes} bytes.`);
  if (body.length % 4 === 1 || !(BASE64.test(body) || BASE64URL.test(body))) throw invalidInput(`${field} is not valid base64.`, [{ pointer: `/body/${field}`, detail: 'not base64' }]);
  const bytes = new Uint8Array(Buffer.from(body, BASE64.test(body) ? 'base64' : 'base64url'));
  if (bytes.byteLength === 0) throw invalidInput(`${field} is empty.`, [{ pointer: `/body/${field}`, detail: 'empty' }]);
  return contentType ? { bytes, contentType } : { bytes };
}

export function createPluginContext(deps: PluginContextDeps): PluginContext {
  const { config, deadline } = deps;
  const maxBytes = config.max_file_size;

  async function read(given: object, kind: SourceKind): Promise<SourceFile> {
    if (deps.upload) return deps.upload;
    const input = given as Readonly<Record<string, unknown>>;
    const url = input[`${kind}_url`];
    const base64 = input[`${kind}_base64`];
    if (typeof url === 'string') {
      try {
        const { url: _final, ...file } = await deps.files.fetchFile(url, { maxBytes, signal: deadline.signal });
        return file;
      } catch (error) {
        // Past the cap is the file's size, whichever way it came: the same 413 as base64 or an upload.
        if (error instanceof FetchFailedError && error.reason === 'too_large') throw inputTooLarge(`The file at ${kind}_url is larger than ${maxBytes} bytes; this plugin takes at most that.`);
        throw error;
      }
    }
    if (typeof base64 === 'string') return decodeBase64(base64, `${kind}_base64`, maxBytes);
    throw missingInput(kind);
  }

  return {
    config,
    model: deps.model,
    ...(deps.segmentation ? { segmentation: deps.segmentation } : {}),
    log: deps.log,
    deadline,
    async source(input, kind) {
      const file = await read(input, kind);
      if (file.bytes.byteLength > maxBytes) throw inputTooLarge(`The input is ${file.bytes.byteLength} bytes; this plugin takes at most ${maxBytes}.`);
      if (file.bytes.byteLength === 0) throw invalidInput('The input file is empty.');
      const supported = config.supported_formats.map(canonicalFormat);
      if (supported.length > 0) {
        const found = sniffFormat(file.bytes);
        if (!found || !supported.includes(found)) throw unsupportedFormat(found, config.supported_formats);
      }
      return file;
    },
    async output(bytes, { contentType, extension, suffix }): Promise<StoredOutput> {
      const key = `${deps.output.prefix}${randomBytes(16).toString('hex')}_${suffix}.${extension}`;
      await deps.blobs.put(deps.output.container, key, bytes, contentType);
      deps.onOutput?.(key);
      const url = deps.output.publicBaseUrl
        ? `${deps.output.publicBaseUrl.replace(/\/+$/, '')}/${key}`
        : await deps.blobs.readUrl(deps.output.container, key, deps.output.signedUrlTtlSeconds);
      return { url, key, size: bytes.byteLength, contentType };
    },
  };
}

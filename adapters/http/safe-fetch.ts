/**
 * Fetches a web page for the scraper without letting a URL reach the private network (SSRF):
 *
 * - the URL is checked first (http(s), no credentials, an IP literal in any form must be public);
 * - a hostname is resolved by our own `lookup`, every address it resolves to is checked, and the
 *   socket connects to exactly those checked addresses, so a DNS rebind between check and
 *   connect cannot switch the target (node:http uses the request's `lookup` for its connect);
 * - no keep-alive agent, so no socket opened for one host is reused for another;
 * - redirects are followed by hand, at most `maxRedirects`, each target checked the same way;
 * - one deadline covers the whole fetch, redirects and body included;
 * - the body is capped at `maxBytes` after decompression (a gzip bomb stops at the cap).
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { pipeline, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import { AppError } from '../../domain/errors.ts';
import { checkAddress, checkTargetUrl, type AddressPolicy } from '../../domain/wardrobe/address-policy.ts';
import { FetchFailedError, type PageFetcher } from '../../domain/wardrobe/page-fetch.ts';
import type { FileFetcher } from '../../domain/capabilities/ports.ts';

export interface SafeFetchSettings extends AddressPolicy {
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  userAgent?: string;
}

/** Every address of a hostname (tests inject one to play DNS). */
export type Resolver = (hostname: string) => Promise<readonly { address: string; family: number }[]>;

const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses: LookupAddress[]) => (error ? reject(error) : resolve(addresses))));

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const HTML_TYPES = ['text/html', 'application/xhtml+xml'];
const DEFAULT_AGENT = 'Mozilla/5.0 (compatible; PorticoScraper/1.0)';

/** A `lookup` for node:http that answers only with addresses the policy allows, all of them checked. */
export function checkedLookup(resolve: Resolver, policy: AddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        try {
          if (addresses.length === 0) throw new FetchFailedError('dns', `${hostname} has no addresses.`);
          // Every address, not the first: the connection may try any of them.
          for (const { address } of addresses) checkAddress(address, hostname, policy);
        } catch (error) {
          return callback(error as NodeJS.ErrnoException, '', 0);
        }
        const wanted = options.family === 4 || options.family === 6 ? addresses.filter((entry) => entry.family === options.family) : addresses;
        if (wanted.length === 0) return callback(Object.assign(new Error(`${hostname} has no IPv${options.family} address`), { code: 'ENOTFOUND' }), '', 0);
        if (options.all) return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, wanted.map(({ address, family }) => ({ address, family })));
        callback(null, wanted[0]!.address, wanted[0]!.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}

/** The charset the page declares (header first, then a `<meta charset>` near the top), as TextDecoder takes it. */
function decode(body: Buffer, contentType: string | undefined): string {
  const declared = /charset\s*=\s*["']?([\w-]+)/i.exec(contentType ?? '')?.[1] ?? /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(body.subarray(0, 2048).toString('latin1'))?.[1];
  try {
    return new TextDecoder(declared ?? 'utf-8').decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body);
  }
}

function decompressed(response: IncomingMessage): Readable {
  const encoding = (response.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const done = () => undefined;
  switch (encoding) {
    case 'identity':
    case '':
      return response;
    case 'gzip':
    case 'x-gzip':
      return pipeline(response, zlib.createGunzip(), done);
    case 'deflate':
      return pipeline(response, zlib.createInflate(), done);
    case 'br':
      return pipeline(response, zlib.createBrotliDecompress(), done);
    default:
      response.destroy();
      throw new FetchFailedError('unsupported_encoding', `The site answered in an unsupported encoding (${encoding.slice(0, 20)}).`);
  }
}

async function readCapped(stream: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    total += (chunk as Buffer).length;
    if (total > maxBytes) {
      stream.destroy();
      throw new FetchFailedError('too_large', `The body is larger than ${maxBytes} bytes.`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** A request's failure as the client sees it: our own refusals as they are, the rest by cause. */
function failure(error: unknown, signal: AbortSignal, timeoutMs: number): AppError {
  if (error instanceof AppError) return error;
  if (signal.aborted) return new FetchFailedError('timeout', `The site did not answer within ${timeoutMs} ms.`);
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ENODATA') return new FetchFailedError('dns', 'The host name could not be resolved.');
  return new FetchFailedError('network', `The site could not be reached${code ? ` (${code})` : ''}.`);
}

/** What one GET wants: which media types it takes, and what a body past the cap is called. */
interface Want {
  accept: string;
  /** Undefined when any type is taken. */
  types?: readonly string[];
  maxBytes: number;
}

/** A webhook answer: its status only (the body is not read). */
export interface PostResult {
  status: number;
}

/** The SSRF-safe HTTP client: pages for the scraper, files for the capability plugins, webhook POSTs. */
export interface SafeHttp extends PageFetcher, FileFetcher {
  /**
   * POSTs `body` to `url` under the same address policy; redirects are not followed (a webhook
   * receiver answers where it was registered). Failures are FetchFailedError.
   */
  post(url: string, body: Uint8Array | string, headers: Record<string, string>, signal?: AbortSignal): Promise<PostResult>;
}

export function createSafeFetcher(settings: SafeFetchSettings, options: { resolve?: Resolver } = {}): SafeHttp {
  const lookup = checkedLookup(options.resolve ?? systemResolver, settings);

  function request(url: URL, signal: AbortSignal, init: { method: string; accept?: string; headers?: Record<string, string>; body?: Uint8Array | string }): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const client = url.protocol === 'https:' ? https : http;
      const outgoing = client.request(url, {
        method: init.method,
        agent: false,
        lookup,
        signal,
        headers: {
          'user-agent': settings.userAgent ?? DEFAULT_AGENT,
          ...(init.accept ? { accept: init.accept, 'accept-encoding': 'gzip, deflate, br' } : {}),
          ...init.headers,
        },
      });
      outgoing.once('response', resolve);
      outgoing.once('error', reject);
      outgoing.end(init.body);
    });
  }

  async function getWithin(start: string, signal: AbortSignal, want: Want): Promise<{ url: string; body: Buffer; contentType: string | undefined }> {
    let current = start;
    for (let hop = 0; ; hop++) {
      const { url } = checkTargetUrl(current, settings);
      const response = await request(url, signal, { method: 'GET', accept: want.accept });
      const status = response.statusCode ?? 0;
      if (REDIRECTS.has(status) && response.headers.location) {
        response.destroy();
        if (hop >= settings.maxRedirects) throw new FetchFailedError('too_many_redirects', `The site redirected more than ${settings.maxRedirects} times.`);
        // Relative locations resolve against the URL that answered; the next hop is checked again.
        current = URL.canParse(response.headers.location, url.href) ? new URL(response.headers.location, url).href : response.headers.location;
        continue;
      }
      if (status < 200 || status > 299) {
        response.destroy();
        throw new FetchFailedError('status', `The site answered ${status}.`, status);
      }
      const contentType = response.headers['content-type'];
      const mediaType = contentType?.split(';')[0]!.trim().toLowerCase();
      if (want.types && mediaType && !want.types.includes(mediaType)) {
        response.destroy();
        throw new FetchFailedError('not_html', `The URL is not an HTML page (${mediaType.slice(0, 60)}).`);
      }
      const declared = Number(response.headers['content-length']);
      if (Number.isFinite(declared) && declared > want.maxBytes) {
        response.destroy();
        throw new FetchFailedError('too_large', `The body is larger than ${want.maxBytes} bytes.`);
      }
      return { url: url.href, body: await readCapped(decompressed(response), want.maxBytes), contentType };
    }
  }

  /** Runs `work` within the fetch deadline (and `outer`), with failures mapped for the client. */
  async function bounded<T>(outer: AbortSignal | undefined, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const deadline = AbortSignal.timeout(settings.timeoutMs);
    const signal = outer ? AbortSignal.any([deadline, outer]) : deadline;
    try {
      return await work(signal);
    } catch (error) {
      throw failure(error, signal, settings.timeoutMs);
    }
  }

  return {
    fetchPage: (url, outer) =>
      bounded(outer, async (signal) => {
        const page = await getWithin(url, signal, { accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.1', types: HTML_TYPES, maxBytes: settings.maxBytes });
        return { url: page.url, html: decode(page.body, page.contentType) };
      }),
    fetchFile: (url, { maxBytes, signal: outer }) =>
      bounded(outer, async (signal) => {
        const file = await getWithin(url, signal, { accept: '*/*', maxBytes });
        const contentType = file.contentType?.split(';')[0]!.trim().toLowerCase();
        return { url: file.url, bytes: new Uint8Array(file.body.buffer, file.body.byteOffset, file.body.byteLength), ...(contentType ? { contentType } : {}) };
      }),
    post: (url, body, headers, outer) =>
      bounded(outer, async (signal) => {
        const response = await request(checkTargetUrl(url, settings).url, signal, { method: 'POST', headers, body });
        response.resume();
        return { status: response.statusCode ?? 0 };
      }),
  };
}

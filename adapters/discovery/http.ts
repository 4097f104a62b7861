/**
 * How every discovery provider is called: one GET of a JSON document, within the provider's own
 * timeout and the search's signal, with every way it can fail turned into a ProviderError code:
 *
 * - an answer that is not 2xx: `failureOfStatus` (`upstream_429`, `upstream_4xx`, `upstream_5xx`), status kept;
 * - a body that is not JSON, or larger than `maxBytes` (the rest is not downloaded): `malformed`;
 * - the provider's own timeout (headers and body both count): `timeout`;
 * - the caller's signal (the search's deadline): `aborted`;
 * - anything else fetch reports (refused, reset, DNS): `network`.
 *
 * Providers take their keys in the query string (`apiKey`, `key`, `api_key`), so a URL is never
 * put in a message as it is: its credentials are replaced first.
 */
import { readCappedBody } from '../http/capped-body.ts';
import { ProviderError, failureOfStatus } from '../../domain/discovery/ports.ts';

export interface GetJsonOptions {
  /** The caller's signal: when it aborts, the call fails as `aborted`. */
  signal: AbortSignal;
  /** This provider's own limit for the whole call, body included: past it, the call fails as `timeout`. */
  timeoutMs: number;
  headers?: Record<string, string>;
  /** Largest body read (default 2 MiB). */
  maxBytes?: number;
}

export interface JsonAnswer {
  status: number;
  body: unknown;
  elapsedMs: number;
}

export const DEFAULT_MAX_BYTES = 2 * 1024 * 1024;

/** Query parameters that carry a credential, lower-cased. */
const SECRET_PARAMETERS = new Set(['apikey', 'api_key', 'key', 'token', 'access_token']);

/** The URL as it may appear in a message or a log: every credential parameter's value replaced. */
export function redactedUrl(url: URL): string {
  const copy = new URL(url);
  for (const name of new Set(copy.searchParams.keys())) {
    if (SECRET_PARAMETERS.has(name.toLowerCase())) copy.searchParams.set(name, 'REDACTED');
  }
  copy.username = '';
  copy.password = '';
  return copy.href;
}

/** `path` under `base` (a base with a path prefix keeps it), with the parameters in order. */
export function endpoint(base: URL, path: string, parameters: Record<string, string>): URL {
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
  url.search = new URLSearchParams(parameters).toString();
  return url;
}

export async function getJson(provider: string, url: URL, options: GetJsonOptions): Promise<JsonAnswer> {
  const { signal, timeoutMs } = options;
  const started = performance.now();
  const timeout = AbortSignal.timeout(timeoutMs);
  const call = `GET ${redactedUrl(url)}`;
  try {
    const response = await fetch(url, { headers: { accept: 'application/json', ...options.headers }, signal: AbortSignal.any([signal, timeout]) });
    if (!response.ok) {
      await response.body?.cancel();
      throw new ProviderError(failureOfStatus(response.status), provider, `${provider}: ${call} answered ${response.status}.`, response.status);
    }
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    const bytes = await readCappedBody(response, maxBytes);
    if (!bytes) throw new ProviderError('malformed', provider, `${provider}: ${call} answered more than ${maxBytes} bytes.`, response.status);
    let body: unknown;
    try {
      body = JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      throw new ProviderError('malformed', provider, `${provider}: ${call} answered ${response.status} with a body that is not JSON.`, response.status);
    }
    return { status: response.status, body, elapsedMs: performance.now() - started };
  } catch (error) {
    if (error instanceof ProviderError) throw error;
    // The caller's signal first: when both fired, the search's deadline is what ended the call.
    if (signal.aborted) throw new ProviderError('aborted', provider, `${provider}: ${call} was aborted by the caller.`);
    if (timeout.aborted) throw new ProviderError('timeout', provider, `${provider}: ${call} did not answer within ${timeoutMs} ms.`);
    // Only the cause's code (ECONNREFUSED...): its message is the runtime's, not ours to vouch for.
    const code = (error as { cause?: { code?: unknown } }).cause?.code;
    const known = typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code);
    throw new ProviderError('network', provider, `${provider}: ${call} failed${known ? ` (${code})` : ''}.`);
  }
}

/**
 * The scraper's port to the web: fetch one product page under the address policy. Refusals are
 * UrlRefusedError (400); a site that cannot be read is FetchFailedError (422 `fetch_failed`,
 * since the URL is the client's input, never a 5xx), with a reason a job can act on.
 */
import { AppError } from '../errors.ts';
import type { AddressPolicy } from './address-policy.ts';

/** How a page is fetched (the scraper's SCRAPER_* settings); the SSRF-safe adapter takes these. */
export interface PageFetchSettings extends AddressPolicy {
  /** One deadline for the whole fetch, redirects and body included. */
  timeoutMs: number;
  /** The body's cap, after decompression. */
  maxBytes: number;
  maxRedirects: number;
  userAgent?: string;
}

export interface FetchedPage {
  /** The URL the page was finally read from, after redirects. */
  url: string;
  html: string;
}

export interface PageFetcher {
  fetchPage(url: string, signal?: AbortSignal): Promise<FetchedPage>;
}

export type FetchFailure =
  | 'timeout'
  | 'too_large'
  | 'status'
  | 'too_many_redirects'
  | 'not_html'
  | 'unsupported_encoding'
  | 'dns'
  | 'network';

export class FetchFailedError extends AppError {
  readonly reason: FetchFailure;
  /** The site's HTTP status, for `status`. */
  readonly siteStatus: number | undefined;
  constructor(reason: FetchFailure, message: string, siteStatus?: number) {
    super(422, 'fetch_failed', message, { errors: [{ pointer: '/body/url', detail: siteStatus === undefined ? reason : `${reason} ${siteStatus}` }] });
    this.name = 'FetchFailedError';
    this.reason = reason;
    this.siteStatus = siteStatus;
  }

  /** Worth trying again later: the site was slow, down or busy, not wrong. */
  get transient(): boolean {
    if (this.reason === 'status') return this.siteStatus === 408 || this.siteStatus === 429 || (this.siteStatus ?? 0) >= 500;
    return this.reason === 'timeout' || this.reason === 'dns' || this.reason === 'network';
  }
}

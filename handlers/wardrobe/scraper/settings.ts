/** The scraper's settings (deps.settings.scraper): read by the wardrobe manifest at bind time, so a bad value stops start-up. */
import { boolean, integer, type Env } from '../../../kernel/env.ts';
import type { PageFetchSettings } from '../../../domain/wardrobe/page-fetch.ts';

export interface ScraperSettings {
  /** What `deps.pageFetcher(...)` is built with. */
  fetch: PageFetchSettings;
  /** Price checks one refresh job runs at once (the seed's SCRAPER_MAX_CONCURRENCY). */
  maxConcurrency: number;
}

export const loadScraperSettings = (env: Env): ScraperSettings => ({
  fetch: {
    timeoutMs: integer(env, 'SCRAPER_TIMEOUT_MS', 10_000, 500, 60_000),
    maxBytes: integer(env, 'SCRAPER_MAX_BYTES', 2 * 1024 * 1024, 16 * 1024, 20 * 1024 * 1024),
    maxRedirects: integer(env, 'SCRAPER_MAX_REDIRECTS', 5, 0, 10),
    // Only tests serve product pages from 127.0.0.1; a deployment never needs it.
    allowLoopback: boolean(env, 'SCRAPER_ALLOW_LOOPBACK', false),
  },
  maxConcurrency: integer(env, 'SCRAPER_MAX_CONCURRENCY', 4, 1, 32),
});

/** The scraper's settings (deps.settings.scraper): read by the wardrobe manifest at bind time, so a bad value stops start-up. */
import { boolean, ConfigError, integer, list, type Env } from '../../../kernel/env.ts';
import type { PageFetchSettings } from '../../../domain/wardrobe/page-fetch.ts';

export interface ScraperSettings {
  /** What `deps.safeHttp(...)` is built with. */
  fetch: PageFetchSettings;
  /** Product pages one source run reads at once (the seed's SCRAPER_MAX_CONCURRENCY). */
  maxConcurrency: number;
  /** Product pages one brand-site run reads at most. */
  maxProductsPerRun: number;
  /** The Reddit sources every user sees (subreddit names); created when the sources are first listed. */
  redditSubreddits: string[];
}

export const loadScraperSettings = (env: Env): ScraperSettings => {
  const redditSubreddits = env.SCRAPER_REDDIT_SUBREDDITS === undefined ? ['streetwear', 'malefashion', 'femalefashion'] : list(env, 'SCRAPER_REDDIT_SUBREDDITS');
  for (const name of redditSubreddits) if (!/^[A-Za-z0-9_]{2,21}$/.test(name)) throw new ConfigError('SCRAPER_REDDIT_SUBREDDITS', `has "${name.slice(0, 40)}", which is not a subreddit name`);
  return {
    fetch: {
      timeoutMs: integer(env, 'SCRAPER_TIMEOUT_MS', 10_000, 500, 60_000),
      maxBytes: integer(env, 'SCRAPER_MAX_BYTES', 2 * 1024 * 1024, 16 * 1024, 20 * 1024 * 1024),
      maxRedirects: integer(env, 'SCRAPER_MAX_REDIRECTS', 5, 0, 10),
      // Only tests serve pages from 127.0.0.1; a deployment never needs it.
      allowLoopback: boolean(env, 'SCRAPER_ALLOW_LOOPBACK', false),
    },
    maxConcurrency: integer(env, 'SCRAPER_MAX_CONCURRENCY', 4, 1, 32),
    maxProductsPerRun: integer(env, 'SCRAPER_MAX_PRODUCTS_PER_RUN', 50, 1, 500),
    redditSubreddits,
  };
};

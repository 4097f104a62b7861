/** The digest's settings (deps.settings.digest): read by the wardrobe manifest at bind time, so a bad value stops start-up. */
import { integer, type Env } from '../../../kernel/env.ts';

export interface DigestSettings {
  /** How many users one digest job builds at once (the seed's WEEKLY_DIGEST_MAX_CONCURRENCY). */
  maxConcurrency: number;
}

export const loadDigestSettings = (env: Env): DigestSettings => ({ maxConcurrency: integer(env, 'WEEKLY_DIGEST_MAX_CONCURRENCY', 4, 1, 64) });

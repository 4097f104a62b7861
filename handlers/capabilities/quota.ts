/**
 * The per-key daily quota, counted on the platform's shared limiter (the `rate-limits`
 * container) in a sliding 24-hour window: CAPABILITIES_DAILY_QUOTA calls per API key, or the
 * key's own figure from CAPABILITIES_KEY_QUOTAS. Every sync call and every job submission
 * counts once (a job's retries do not). Off where the platform has no limiter store.
 */
import { AppError } from '../../domain/errors.ts';
import type { RateLimiter } from '../../middleware/rate-limit.ts';
import type { CapabilitiesSettings } from './settings.ts';

export const QUOTA_WINDOW_SECONDS = 86_400;

export type ConsumeQuota = (key: string) => Promise<void>;

export function createQuota(limiter: Pick<RateLimiter, 'consume'> | undefined, settings: Pick<CapabilitiesSettings, 'dailyQuota' | 'keyQuotas'>): ConsumeQuota {
  return async (key) => {
    if (!limiter) return;
    const limit = settings.keyQuotas.get(key) ?? settings.dailyQuota;
    const decision = await limiter.consume({ name: 'capabilities-daily', limit, windowSeconds: QUOTA_WINDOW_SECONDS }, `key:${key}`);
    if (!decision.allowed) {
      throw new AppError(429, 'quota_exceeded', `This API key has used its ${limit} calls of the last 24 hours; try again in ${decision.retryAfterSeconds} seconds.`, {
        headers: { 'retry-after': String(decision.retryAfterSeconds), 'x-quota-limit': String(limit), 'x-quota-remaining': '0' },
      });
    }
  };
}

/**
 * The last call to each provider, as this instance saw it: what `GET /api/underfoot/health`
 * reports per provider (the upstream's health only said whether a key was set).
 */
import type { Clock } from '../../domain/ports.ts';

export interface ProviderCall {
  outcome: 'ok' | 'failed' | 'timeout';
  /** The failure's stable code (`upstream_429`, `timeout`, `deadline`...). */
  code?: string;
  /** The upstream's HTTP status when it answered with one. */
  upstream_status?: number;
  latency_ms: number;
  at: string;
}

export interface ProviderHealth {
  record(provider: string, call: Omit<ProviderCall, 'at'>): void;
  last(provider: string): ProviderCall | null;
}

export function createProviderHealth(clock: Clock): ProviderHealth {
  const calls = new Map<string, ProviderCall>();
  return {
    record: (provider, call) => calls.set(provider, { ...call, at: clock.now().toISOString() }),
    last: (provider) => calls.get(provider) ?? null,
  };
}

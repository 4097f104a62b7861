/**
 * Rate limits, the pure part: a sliding-window counter, the client address, and the counter
 * documents' names and lifetimes. middleware/rate-limit.ts does the I/O.
 *
 * Sliding-window counter (as Cloudflare's): time is cut into fixed windows, each key counts its
 * requests in the current window, and the previous window's count is weighted by how much of it
 * still overlaps the last `window` seconds:
 *
 *     estimate = previous * (1 - elapsed / window) + current
 *
 * A request is admitted when estimate + 1 <= limit. Unlike a plain fixed window, this does not
 * let a client spend a full quota at the end of one window and another at the start of the next
 * (2x the limit in a moment), which matters most for the 5-per-15-minutes credential limits.
 * Inside one window with an empty previous one it admits exactly `limit`.
 */
import type { Document } from './ports.ts';
import { isIpv6, parseIp } from './ip.ts';

export interface RateLimitSpec {
  /** The limit's name: `default`, `synthesis`, ...; part of every counter's id. */
  name: string;
  /** Requests admitted per window. */
  limit: number;
  windowSeconds: number;
}

/** One counter: the requests a key made in one window, plus the previous window's total. */
export interface RateCounter extends Document {
  limit: string;
  window: number;
  count: number;
  /** The previous window's count, copied when this window's counter was created. */
  previous: number;
  expiresAt: number;
}

export interface WindowCounts {
  previous: number;
  current: number;
}

export interface RateDecision {
  allowed: boolean;
  limit: number;
  /** Requests still admissible right now, after this one. */
  remaining: number;
  /** Seconds until the current window ends. */
  resetSeconds: number;
  /** Seconds until one more request would be admitted (0 when this one was). */
  retryAfterSeconds: number;
}

export interface WindowPosition {
  index: number;
  startMs: number;
  endMs: number;
  /** 0 at the start of the window, approaching 1 at its end. */
  elapsed: number;
}

export function windowAt(nowMs: number, windowSeconds: number): WindowPosition {
  const size = windowSeconds * 1000;
  const index = Math.floor(nowMs / size);
  const startMs = index * size;
  return { index, startMs, endMs: startMs + size, elapsed: (nowMs - startMs) / size };
}

export function estimate(counts: WindowCounts, elapsed: number): number {
  return counts.previous * (1 - elapsed) + counts.current;
}

/** Whether one more request fits, given the counts before it. */
export function admits(spec: RateLimitSpec, counts: WindowCounts, elapsed: number): boolean {
  return estimate(counts, elapsed) + 1 <= spec.limit;
}

/**
 * Milliseconds from `nowMs` until one more request would be admitted, if nobody else is. The
 * previous window's weight decays linearly; once the window rolls over, today's count becomes
 * the decaying one.
 */
export function waitMs(spec: RateLimitSpec, counts: WindowCounts, nowMs: number): number {
  const at = windowAt(nowMs, spec.windowSeconds);
  const size = spec.windowSeconds * 1000;
  if (admits(spec, counts, at.elapsed)) return 0;
  const room = spec.limit - 1;
  if (counts.current <= room && counts.previous > 0) {
    // previous * (1 - f) + current <= room  <=>  f >= 1 - (room - current) / previous
    const until = 1 - (room - counts.current) / counts.previous;
    return Math.max(0, until * size - (nowMs - at.startMs));
  }
  // This window alone is full: wait for it to end, then for its weight to fall enough.
  const next = counts.current > 0 ? Math.max(0, 1 - room / counts.current) : 0;
  return at.endMs - nowMs + next * size;
}

/** The decision for one request, given the counts before it. */
export function decide(spec: RateLimitSpec, counts: WindowCounts, nowMs: number): RateDecision {
  const at = windowAt(nowMs, spec.windowSeconds);
  const allowed = admits(spec, counts, at.elapsed);
  const after = allowed ? { ...counts, current: counts.current + 1 } : counts;
  return {
    allowed,
    limit: spec.limit,
    remaining: Math.max(0, Math.floor(spec.limit - estimate(after, at.elapsed))),
    resetSeconds: Math.max(1, Math.ceil((at.endMs - nowMs) / 1000)),
    retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil(waitMs(spec, counts, nowMs) / 1000)),
  };
}

/** `rl:<limit>:<key>:<window>`; the key must already be id-safe (the middleware hashes it). */
export function counterId(limit: string, key: string, window: number): string {
  return `rl:${limit}:${key}:${window}`;
}

/**
 * A counter is read as the "previous" one during the next window, so it lives to the end of
 * that window, plus a minute for clock skew between instances.
 */
export function counterExpiresAt(spec: RateLimitSpec, window: number): number {
  return (window + 2) * spec.windowSeconds * 1000 + 60_000;
}

// ---------------------------------------------------------------- the client address

/**
 * The client's address. With `trustedProxyHops` >= 1, only the x-forwarded-for entry our own
 * outermost proxy wrote counts (`hops` from the right): everything left of it is whatever the
 * client chose to send. With 0 hops, x-forwarded-for is ignored and the platform's source
 * address is used. Unparseable addresses share one bucket, so garbage cannot mint fresh keys.
 */
export function clientAddress(forwardedFor: string | undefined, sourceIp: string | undefined, trustedProxyHops: number): string {
  if (trustedProxyHops >= 1 && forwardedFor) {
    const entries = forwardedFor.split(',').map((entry) => entry.trim());
    const entry = entries[entries.length - trustedProxyHops];
    if (entries.length >= trustedProxyHops && entry) return normaliseAddress(entry);
  }
  return normaliseAddress(sourceIp ?? '');
}

const UNKNOWN = 'unknown';

/**
 * An address as a limiter key: the port and any IPv6 zone dropped, IPv4-mapped IPv6 as IPv4,
 * and other IPv6 addresses cut to their /64, which one subscriber normally holds whole.
 */
export function normaliseAddress(text: string): string {
  let address = text.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) address = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(':'));
  const ip = parseIp(address);
  if (!ip) return UNKNOWN;
  if (!isIpv6(ip)) return ip.toString();
  if (ip.isIPv4MappedAddress()) return ip.toIPv4Address().toString();
  return `${ip.parts.slice(0, 4).map((group) => group.toString(16)).join(':')}::/64`;
}

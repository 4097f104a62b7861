/**
 * Rate limits shared by every instance: a sliding-window counter per limit and key, kept in the
 * `rate-limits` container and updated by ETag-guarded read-modify-write (domain/rate-limit.ts
 * has the arithmetic). Routes count against a named limit (`RATE_LIMIT_<NAME>`), keyed on the
 * caller's identity when there is one and on the client address otherwise; the PIN and login
 * routes also get tighter per-e-mail and per-address limits that fail closed.
 */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { boolean, ConfigError } from '../kernel/env.ts';
import type { HttpTrigger } from '../kernel/functions.ts';
import { readModifyWrite } from '../domain/documents.ts';
import { AppError, StoreUnavailableError } from '../domain/errors.ts';
import {
  admits,
  clientAddress,
  counterExpiresAt,
  counterId,
  decide,
  estimate,
  windowAt,
  type RateCounter,
  type RateDecision,
  type RateLimitSpec,
  type WindowCounts,
} from '../domain/rate-limit.ts';
import type { Clock, ContainerSpec, DocumentRepository, DocumentStore } from '../domain/ports.ts';
import type { PorticoContext, PorticoHttpEvent } from './context.ts';
import type { Logger } from './logger.ts';

export type { RateDecision, RateLimitSpec } from '../domain/rate-limit.ts';

/** One counter document per limit, key and window; each is its own partition, so keys never contend. */
export const rateLimitsContainer: ContainerSpec = { name: 'rate-limits', partitionKey: 'id' };

type Env = Record<string, string | undefined>;
type Middleware = MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>;

const systemClock: Clock = { now: () => new Date() };

// ---------------------------------------------------------------- configuration

export interface RateLimitConfig {
  /** RATE_LIMITING_ENABLED (the seed's switch); when false no route is limited. */
  enabled: boolean;
  /** Every named limit: the defaults below, overridden or extended by RATE_LIMIT_<NAME>. */
  limits: ReadonlyMap<string, RateLimitSpec>;
  /** TRUSTED_PROXY_HOPS: how many right-most x-forwarded-for entries our own proxies added. */
  trustedProxyHops: number;
}

/**
 * Defaults, in the variables' own syntax. default/synthesis/training are the seed's values;
 * `auth` is what the account routes count against; the credential limits (PIN and login: failures
 * per e-mail and address and per e-mail, every request per address) are per 15 minutes.
 */
export const DEFAULT_RATE_LIMITS: Readonly<Record<string, string>> = {
  default: '100',
  synthesis: '50',
  training: '10',
  // Every import makes the server fetch a page from the internet on the caller's behalf.
  scraper: '20',
  // Every discovery search may call three paid upstreams and the model twice.
  discovery: '30',
  // Per API key: every capability call may fetch a file and decode it (the daily quota is separate).
  capabilities: '60',
  auth: '20',
  // Failed PIN or password attempts: per e-mail from one client address, and per e-mail from all.
  'credential-email-address': '5/15m',
  'credential-email': '50/15m',
  'credential-address': '20/15m',
};

const UNIT_SECONDS = { s: 1, m: 60, h: 3600 } as const;
const MAX_WINDOW_SECONDS = 86_400;

/** `RATE_LIMIT_SYNTHESIS` -> `synthesis`, `RATE_LIMIT_CREDENTIAL_EMAIL` -> `credential-email`. */
export const limitName = (variable: string) => variable.slice('RATE_LIMIT_'.length).toLowerCase().replaceAll('_', '-');
export const limitVariable = (name: string) => `RATE_LIMIT_${name.toUpperCase().replaceAll('-', '_')}`;

/**
 * A limit's value: `120` (per minute), or `<count>/<window>` such as `5/15m`, `1000/1h`, `10/30s`.
 * Throws ConfigError naming the variable.
 */
export function parseRateLimit(variable: string, text: string): RateLimitSpec {
  const match = /^(\d{1,7})(?:\s*\/\s*(\d{1,5})?\s*([smh]))?$/.exec(text.trim());
  const name = limitName(variable);
  if (!match) throw new ConfigError(variable, `must be a count per minute (120) or per window (5/15m, 1000/1h), got "${text}"`);
  const limit = Number(match[1]);
  const windowSeconds = match[3] ? Number(match[2] ?? 1) * UNIT_SECONDS[match[3] as keyof typeof UNIT_SECONDS] : 60;
  if (limit < 1) throw new ConfigError(variable, 'must allow at least 1 request; use rateLimit: false on a route to lift its limit');
  if (windowSeconds < 1 || windowSeconds > MAX_WINDOW_SECONDS) throw new ConfigError(variable, `needs a window from 1 s to 24 h, got "${text}"`);
  return { name, limit, windowSeconds };
}

export function loadRateLimits(env: Env = process.env): RateLimitConfig {
  const limits = new Map<string, RateLimitSpec>();
  for (const [name, value] of Object.entries(DEFAULT_RATE_LIMITS)) limits.set(name, parseRateLimit(limitVariable(name), value));
  for (const [variable, value] of Object.entries(env)) {
    if (!variable.startsWith('RATE_LIMIT_') || value === undefined || value.trim() === '') continue;
    if (!/^RATE_LIMIT_[A-Z0-9]+(_[A-Z0-9]+)*$/.test(variable)) {
      throw new ConfigError(variable, 'is not a limit name: use RATE_LIMIT_ followed by upper-case letters, digits and single underscores');
    }
    const spec = parseRateLimit(variable, value);
    limits.set(spec.name, spec);
  }
  return Object.freeze({
    enabled: boolean(env, 'RATE_LIMITING_ENABLED', true),
    limits,
    trustedProxyHops: hops(env, 'TRUSTED_PROXY_HOPS'),
  });
}

/** Whether a route counts against a named limit when limiting is on (the API document says so too). */
export function hasRouteRateLimit<T extends Pick<HttpTrigger, 'rateLimit' | 'webhook'>>(trigger: T): trigger is T & { rateLimit?: string } {
  if (trigger.rateLimit === false) return false;
  return !(trigger.webhook && trigger.rateLimit === undefined);
}

/**
 * The limit a route counts against: undefined when the route opts out (`rateLimit: false`) or
 * limiting is off. A webhook route is unlimited unless it names a limit: its signature is the
 * gate, senders burst from few addresses, and a limited replay would get 429 instead of its
 * duplicate acknowledgement. A name that no variable or default defines stops start-up.
 */
export function routeRateLimit(config: RateLimitConfig, trigger: Pick<HttpTrigger, 'rateLimit' | 'route' | 'webhook'>): RateLimitSpec | undefined {
  if (!config.enabled || !hasRouteRateLimit(trigger)) return undefined;
  const name = trigger.rateLimit ?? 'default';
  const spec = config.limits.get(name);
  if (!spec) throw new ConfigError(limitVariable(name), `is required: route "${trigger.route}" counts against the "${name}" limit`);
  return spec;
}


function hops(env: Env, name: string): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return 0;
  if (!/^\d{1,2}$/.test(raw) || Number(raw) > 10) throw new ConfigError(name, `must be a whole number from 0 to 10, got "${raw}"`);
  return Number(raw);
}

// ---------------------------------------------------------------- the shared counter

export interface RateLimiterOptions {
  store: DocumentStore;
  clock?: Clock;
  /** Write attempts under contention before giving up (then the route's store-down policy applies). */
  maxAttempts?: number;
  /** How long one decision may take, queueing included, before the store counts as unavailable. */
  timeoutMs?: number;
  /** Bound on the local cache of the counts this instance has seen. */
  cacheSize?: number;
  random?: () => number;
}

/**
 * Counts requests in the shared store. Each admission is one read and one ETag-guarded write;
 * a refusal is one read and no write, so a flood over the limit causes no write contention.
 * A counter only grows within its window, so a count this instance has seen is a lower bound on
 * the true one: when that alone proves a key is over its limit, the refusal needs no I/O at all.
 */
export class RateLimiter {
  readonly #repository: DocumentRepository<RateCounter>;
  readonly #clock: Clock;
  readonly #maxAttempts: number;
  readonly #timeoutMs: number;
  readonly #cacheSize: number;
  readonly #random: () => number;
  readonly #seen = new Map<string, WindowCounts>();
  readonly #lanes = new Map<string, Promise<void>>();

  constructor({ store, clock = systemClock, maxAttempts = 40, timeoutMs = 2000, cacheSize = 10_000, random = Math.random }: RateLimiterOptions) {
    this.#repository = store.repository<RateCounter>(rateLimitsContainer);
    this.#clock = clock;
    this.#maxAttempts = maxAttempts;
    this.#timeoutMs = timeoutMs;
    this.#cacheSize = cacheSize;
    this.#random = random;
  }

  /** Admits or refuses one request by `key` against `spec`. Throws when the store cannot answer. */
  async consume(spec: RateLimitSpec, key: string): Promise<RateDecision> {
    const now = this.#clock.now().getTime();
    const at = windowAt(now, spec.windowSeconds);
    const keyHash = hashKey(key);
    const id = counterId(spec.name, keyHash, at.index);
    const known = () => {
      const seen = this.#seen.get(id);
      return seen && !admits(spec, seen, at.elapsed) ? decide(spec, seen, now) : undefined;
    };
    const quick = known();
    if (quick) return quick;
    // One write per counter in flight per instance: a burst on one key queues here instead of
    // colliding in the store, and once the counter is full the queue drains with no I/O.
    let abandoned = false;
    const work = this.#serially(id, async () => (abandoned ? undefined : (known() ?? this.#write(spec, id, keyHash, at.index, now))));
    // A store that hangs must not hang the request (the SDK's own timeout is a minute): past the
    // deadline the store counts as unavailable, and queued work for this request is skipped.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abandoned = true;
        reject(new StoreUnavailableError(1, 'The rate-limit store did not answer in time.'));
      }, this.#timeoutMs);
    });
    try {
      return (await Promise.race([work, timeout]))!;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * The decision `consume` would make for `key`, and the weighted count so far, without counting
   * anything. Throws when the store cannot answer in time.
   */
  async peek(spec: RateLimitSpec, key: string): Promise<{ decision: RateDecision; count: number }> {
    const now = this.#clock.now().getTime();
    const at = windowAt(now, spec.windowSeconds);
    const keyHash = hashKey(key);
    const read = async () => {
      const current = await this.#repository.get(counterId(spec.name, keyHash, at.index), counterId(spec.name, keyHash, at.index));
      const counts: WindowCounts = current
        ? { previous: current.previous, current: current.count }
        : { previous: await this.#count(counterId(spec.name, keyHash, at.index - 1)), current: 0 };
      return { decision: decide(spec, counts, now), count: estimate(counts, at.elapsed) };
    };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StoreUnavailableError(1, 'The rate-limit store did not answer in time.')), this.#timeoutMs);
    });
    try {
      return await Promise.race([read(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async #write(spec: RateLimitSpec, id: string, keyHash: string, window: number, now: number): Promise<RateDecision> {
    let previous: number | undefined;
    let decision: RateDecision | undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        const stored = await readModifyWrite(
          this.#repository,
          id,
          id,
          async (current) => {
            const counts: WindowCounts = current
              ? { previous: current.previous, current: current.count }
              : { previous: (previous ??= await this.#count(counterId(spec.name, keyHash, window - 1))), current: 0 };
            decision = decide(spec, counts, now);
            this.#remember(id, counts);
            if (!decision.allowed) return undefined;
            return { id, limit: spec.name, window, count: counts.current + 1, previous: counts.previous, expiresAt: counterExpiresAt(spec, window) };
          },
          // One write per round: the backoff below, not an immediate re-read, is what untangles other instances.
          1,
        );
        if (stored) this.#remember(id, { previous: stored.previous, current: stored.count });
        return decision!;
      } catch (error) {
        if (!(error instanceof AppError && error.code === 'concurrent_update') || attempt >= this.#maxAttempts) throw error;
        // Full jitter, capped low: a request should not wait long for its turn to count.
        await sleep(this.#random() * Math.min(64, 2 ** attempt));
      }
    }
  }

  /** Runs `work` after every earlier call for the same id has settled. */
  #serially<T>(id: string, work: () => Promise<T>): Promise<T> {
    const run = (this.#lanes.get(id) ?? Promise.resolve()).then(work);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.#lanes.set(id, settled);
    void settled.then(() => {
      if (this.#lanes.get(id) === settled) this.#lanes.delete(id);
    });
    return run;
  }

  async #count(id: string): Promise<number> {
    return (await this.#repository.get(id, id))?.count ?? 0;
  }

  #remember(id: string, counts: WindowCounts): void {
    const known = this.#seen.get(id);
    if (known && known.current >= counts.current) return;
    this.#seen.delete(id);
    this.#seen.set(id, counts);
    // Oldest first: a Map iterates in insertion order, and a refresh re-inserts.
    if (this.#seen.size > this.#cacheSize) this.#seen.delete(this.#seen.keys().next().value!);
  }
}

/** Keys become short, id-safe and free of personal data (e-mail addresses, IPs) before they reach a document id. */
function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, 27);
}

// ---------------------------------------------------------------- middleware

/** The key a request counts under; undefined means it is not limited. */
export type KeyOf = (event: PorticoHttpEvent, context: PorticoContext) => string | undefined;

export function addressOf(event: APIGatewayProxyEventV2, trustedProxyHops: number): string {
  return clientAddress(event.headers?.['x-forwarded-for'], event.requestContext?.http?.sourceIp, trustedProxyHops);
}

/** The caller's identity (a user or an API key) when auth ran, else the client address. */
export function principalOrAddress(trustedProxyHops = 0): KeyOf {
  return (event, context) => (context.principal ? `principal:${context.principal.qualifiedId}` : `address:${addressOf(event, trustedProxyHops)}`);
}

export function rateLimitHeaders(decision: RateDecision): Record<string, string> {
  return {
    'ratelimit-limit': String(decision.limit),
    'ratelimit-remaining': String(decision.remaining),
    'ratelimit-reset': String(decision.resetSeconds),
  };
}

export function rateLimited(decision: RateDecision): AppError {
  return new AppError(429, 'rate_limited', `Too many requests; try again in ${decision.retryAfterSeconds} seconds.`, {
    headers: { 'retry-after': String(decision.retryAfterSeconds), ...rateLimitHeaders(decision) },
  });
}

/** The 503 a fail-closed limit answers when the store cannot count. */
function limitUnavailable(error: unknown): AppError {
  const retryAfter = error instanceof StoreUnavailableError ? Number(error.headers?.['retry-after'] ?? 5) : 5;
  return new AppError(503, 'unavailable', 'The service is busy; try again shortly.', { headers: { 'retry-after': String(retryAfter) } });
}

export interface RateLimitOptions {
  limit: RateLimitSpec;
  /** The shared store (the `rate-limits` container), or a limiter already built over it. */
  store: DocumentStore | RateLimiter;
  clock?: Clock;
  /** Default: the principal when present, else the client address (see trustedProxyHops). */
  keyOf?: KeyOf;
  trustedProxyHops?: number;
  /** When the store cannot count: false (default) lets the request through with a warning; true answers 503. */
  failClosed?: boolean;
  /** Where the fail-open warning goes when the context has no logger (outside the standard stack). */
  logger?: Logger;
}

const limiterOf = (store: DocumentStore | RateLimiter, clock?: Clock) =>
  store instanceof RateLimiter ? store : new RateLimiter({ store, ...(clock ? { clock } : {}) });

/** The route limit as the standard stack places it: `count` after auth, `report` outside the problem renderer. */
export interface RouteRateLimit {
  /** Counts the request; over the limit -> 429 `rate_limited` with Retry-After. */
  count: Middleware;
  /**
   * Puts RateLimit-Limit/-Remaining/-Reset on every answer, a problem included. A request refused
   * before `count` ran (a bad body, a bad token) is counted here, under the same key, so refusals
   * spend the limit like any request; a 5xx refused nothing the client did, and is not counted.
   */
  report: Middleware;
}

/**
 * Counts each request against `limit`. Runs after auth, so it can key on the principal; the
 * headers are added by `report`, which must wrap the problem renderer to see its answers.
 */
export function rateLimit(options: RateLimitOptions): RouteRateLimit {
  const limiter = limiterOf(options.store, options.clock);
  const keyOf = options.keyOf ?? principalOrAddress(options.trustedProxyHops ?? 0);
  // Keyed by middy's request object: one per invocation. `null`: counted, but no decision (store down).
  const decisions = new WeakMap<object, RateDecision | null>();
  const consume = async (request: { event: unknown; context: unknown }): Promise<RateDecision | undefined> => {
    const key = keyOf(request.event as PorticoHttpEvent, request.context as PorticoContext);
    return key === undefined ? undefined : limiter.consume(options.limit, key);
  };
  const withHeaders = (request: { response?: APIGatewayProxyStructuredResultV2 | null | undefined }, decision: RateDecision | null | undefined) => {
    if (decision && request.response) request.response.headers = { ...request.response.headers, ...rateLimitHeaders(decision) };
  };
  return {
    count: {
      before: async (request) => {
        const context = request.context as PorticoContext;
        let decision: RateDecision | undefined;
        try {
          decision = await consume(request);
        } catch (error) {
          decisions.set(request, null);
          if (options.failClosed) throw limitUnavailable(error);
          (context.log ?? options.logger)?.warn({ err: error, limit: options.limit.name }, 'rate limit store unavailable; letting the request through');
          return;
        }
        if (decision === undefined) return;
        decisions.set(request, decision);
        if (!decision.allowed) throw rateLimited(decision);
      },
    },
    report: {
      after: (request) => withHeaders(request, decisions.get(request)),
      onError: async (request) => {
        const status = request.response?.statusCode ?? 0;
        if (!decisions.has(request) && status >= 400 && status < 500) {
          // Refused before the count: count it now. A store that cannot count leaves the refusal as it is.
          decisions.set(request, (await consume(request).catch(() => undefined)) ?? null);
        }
        withHeaders(request, decisions.get(request));
      },
    },
  };
}

export interface CredentialLimitOptions {
  store: DocumentStore | RateLimiter;
  clock?: Clock;
  trustedProxyHops?: number;
  /** Default 5 failures per 15 minutes per e-mail from one client address (RATE_LIMIT_CREDENTIAL_EMAIL_ADDRESS). */
  perEmailAddress?: RateLimitSpec;
  /** Default 50 failures per 15 minutes per e-mail from all addresses (RATE_LIMIT_CREDENTIAL_EMAIL). */
  perEmail?: RateLimitSpec;
  /** Default 20 requests per 15 minutes per client address (RATE_LIMIT_CREDENTIAL_ADDRESS). */
  perAddress?: RateLimitSpec;
  /** Where the e-mail is; default `event.json.email`. */
  emailOf?: (event: PorticoHttpEvent) => unknown;
  /** Which handler errors are a failed guess; default a 401, or a 400 other than `validation_failed` (a wrong PIN or password). */
  isFailure?: (error: unknown) => boolean;
}

const defaultSpec = (name: string) => parseRateLimit(limitVariable(name), DEFAULT_RATE_LIMITS[name]!);

/** An e-mail address as a limiter key: trimmed, lower-cased, one Unicode form. */
export function normaliseEmail(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const email = value.normalize('NFC').trim().toLowerCase();
  return email === '' ? undefined : email;
}

/**
 * The PIN and login routes (after JSON parsing and validation, so the e-mail is read from the
 * parsed body). Three limits, so that brute force stays bounded but a stranger cannot lock the
 * owner out:
 * - every request counts per client address (atomically, so a parallel burst is bounded too);
 * - failed guesses count per (e-mail, client address): the guessing address is refused, others are not;
 * - failed guesses also count per e-mail, a larger ceiling for an attacker spread over many
 *   addresses; past it, only addresses that have not failed for that e-mail are let through.
 * The address is checked first, so a client over its address limit cannot touch a victim's
 * counts. All fail closed: without the store, guessing would be unlimited.
 */
export function credentialLimits(options: CredentialLimitOptions): Middleware {
  const limiter = limiterOf(options.store, options.clock);
  const perEmailAddress = options.perEmailAddress ?? defaultSpec('credential-email-address');
  const perEmail = options.perEmail ?? defaultSpec('credential-email');
  const perAddress = options.perAddress ?? defaultSpec('credential-address');
  const hopsCount = options.trustedProxyHops ?? 0;
  const emailOf = options.emailOf ?? ((event: PorticoHttpEvent) => (event.json as { email?: unknown } | undefined)?.email);
  const isFailure = options.isFailure ?? ((error: unknown) => error instanceof AppError && (error.status === 401 || (error.status === 400 && error.code !== 'validation_failed')));
  const guarded = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw limitUnavailable(error);
    }
  };
  // The failure keys of requests that reached the handler; a 400 from validation never counts.
  const checked = new WeakMap<object, string[]>();
  return {
    before: async (request) => {
      const event = request.event as PorticoHttpEvent;
      const address = addressOf(event, hopsCount);
      const byAddress = await guarded(() => limiter.consume(perAddress, `address:${address}`));
      if (!byAddress.allowed) throw rateLimited(byAddress);
      const email = normaliseEmail(emailOf(event));
      if (email === undefined) return;
      const pairKey = `email-address:${email}|${address}`;
      const emailKey = `email:${email}`;
      const [pair, all] = await guarded(() => Promise.all([limiter.peek(perEmailAddress, pairKey), limiter.peek(perEmail, emailKey)]));
      if (!pair.decision.allowed) throw rateLimited(pair.decision);
      if (!all.decision.allowed && pair.count > 0) throw rateLimited(all.decision);
      checked.set(request, [pairKey, emailKey]);
    },
    onError: async (request) => {
      const keys = checked.get(request);
      if (!keys || !isFailure(request.error)) return;
      // Counted after the answer is known; the error is what the caller gets either way.
      try {
        await Promise.all([limiter.consume(perEmailAddress, keys[0]!), limiter.consume(perEmail, keys[1]!)]);
      } catch (error) {
        (request.context as PorticoContext).log?.warn({ err: error }, 'could not count a failed credential attempt');
      }
    },
  };
}

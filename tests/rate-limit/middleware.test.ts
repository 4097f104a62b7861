/**
 * The rate-limit middlewares on the in-memory store with a fake clock, through the real standard
 * stack (httpHandler: route limits after auth, credential limits after validation), configured
 * as production configures them: the route definition and `platform.rateLimits`.
 */
import { describe, expect, it } from '@jest/globals';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { MemoryDocumentStore } from '../../adapters/memory/documents.ts';
import { ConfigError } from '../../app/config.ts';
import { AppError } from '../../domain/errors.ts';
import type { Document, DocumentRepository, DocumentStore } from '../../domain/ports.ts';
import type { Identity } from '../../middleware/context.ts';
import { json, type PorticoHttpHandler } from '../../middleware/http-stack.ts';
import { loadRateLimits, RateLimiter, routeRateLimit } from '../../middleware/rate-limit.ts';
import { httpEvent, lambdaContext, testPlatform } from '../support/platform.ts';
import { switchable } from '../support/switchable-store.ts';
import { serve } from './support.ts';

const T0 = Date.UTC(2026, 10, 22, 10, 0, 0);

function fakeClock(start = T0) {
  let now = start;
  return { now: () => new Date(now), set: (ms: number) => void (now = ms), advance: (ms: number) => void (now += ms) };
}

const ok: PorticoHttpHandler = async () => json(200, { ok: true });
/** The `default` limit the routes below count against: 3 per minute. */
const LIMITS = { RATE_LIMIT_DEFAULT: '3' };

function limited(options: { store?: DocumentStore; clock?: ReturnType<typeof fakeClock>; hops?: number; failClosed?: boolean; principal?: Identity } = {}) {
  const clock = options.clock ?? fakeClock();
  const store = options.store ?? new MemoryDocumentStore(clock);
  const config = loadRateLimits({ ...LIMITS, TRUSTED_PROXY_HOPS: String(options.hops ?? 0) });
  // One limiter per handler, as one host has one: its local cache is its own.
  const rateLimits = { config, limiter: new RateLimiter({ store, clock }) };
  const platform = testPlatform(options.principal ? { rateLimits, authenticate: async () => options.principal! } : { rateLimits });
  const handler = serve({ auth: options.principal ? 'user' : 'public', rateLimitFailClosed: options.failClosed ?? false }, ok, platform);
  const from = async (ip: string, xff?: string) => {
    const event = httpEvent({ method: 'POST', path: '/api/test', headers: xff ? { 'x-forwarded-for': xff } : {} });
    event.requestContext.http.sourceIp = ip;
    return (await handler(event, lambdaContext())) as APIGatewayProxyStructuredResultV2;
  };
  return { clock, store, platform, from };
}

const user = (id: string): Identity => ({ userId: id, qualifiedId: `portico|${id}`, issuer: 'portico', via: 'token', roles: ['user'], isAdmin: false });

async function statuses(calls: number, call: () => Promise<APIGatewayProxyStructuredResultV2>) {
  const out: number[] = [];
  for (let i = 0; i < calls; i++) out.push((await call()).statusCode ?? 0);
  return out;
}

describe('rateLimit: the route limit', () => {
  it('admits the limit, then answers 429 rate_limited with Retry-After; successes carry RateLimit headers', async () => {
    const { from, clock } = limited();
    clock.set(T0 + 15_000);
    const first = await from('203.0.113.1');
    expect(first.statusCode).toBe(200);
    expect(first.headers).toMatchObject({ 'ratelimit-limit': '3', 'ratelimit-remaining': '2', 'ratelimit-reset': '45' });
    expect((await from('203.0.113.1')).headers?.['ratelimit-remaining']).toBe('1');
    expect((await from('203.0.113.1')).headers?.['ratelimit-remaining']).toBe('0');
    const refused = await from('203.0.113.1');
    expect(refused.statusCode).toBe(429);
    expect(JSON.parse(refused.body ?? '{}')).toMatchObject({ status: 429, code: 'rate_limited' });
    // 45 s to the end of the window, then until 3 * (1 - g) + 1 <= 3: g = 1/3 of the next, 20 s.
    expect(refused.headers).toMatchObject({ 'retry-after': '65', 'ratelimit-remaining': '0', 'ratelimit-limit': '3' });
    // Problem responses keep the rest of the stack's headers.
    expect(refused.headers?.['x-request-id']).toBeDefined();
  });

  it('rolls over: the previous window decays, the Retry-After it gave is exact, and two windows later the quota is whole', async () => {
    const { from, clock } = limited();
    clock.set(T0 + 15_000);
    expect(await statuses(4, () => from('203.0.113.1'))).toEqual([200, 200, 200, 429]);
    clock.set(T0 + 60_000); // the next window: all 3 of the last one still count
    expect((await from('203.0.113.1')).statusCode).toBe(429);
    clock.set(T0 + 15_000 + 65_000 - 1);
    expect((await from('203.0.113.1')).statusCode).toBe(429);
    clock.set(T0 + 15_000 + 65_000);
    expect((await from('203.0.113.1')).statusCode).toBe(200);
    clock.set(T0 + 180_000); // two windows later, nothing counts any more
    expect(await statuses(4, () => from('203.0.113.1'))).toEqual([200, 200, 200, 429]);
  });

  it('keys on the principal when there is one: two users behind one address each get the full limit', async () => {
    const clock = fakeClock();
    const store = new MemoryDocumentStore(clock);
    const alice = limited({ clock, store, principal: user('alice') });
    const bob = limited({ clock, store, principal: user('bob') });
    expect(await statuses(4, () => alice.from('198.51.100.7'))).toEqual([200, 200, 200, 429]);
    expect(await statuses(4, () => bob.from('198.51.100.7'))).toEqual([200, 200, 200, 429]);
    // And a user is not let off by changing address.
    expect((await alice.from('192.0.2.200')).statusCode).toBe(429);
  });

  it('keys anonymous callers on their address', async () => {
    const { from } = limited();
    expect(await statuses(4, () => from('203.0.113.1'))).toEqual([200, 200, 200, 429]);
    expect((await from('203.0.113.2')).statusCode).toBe(200);
  });

  it('ignores a spoofed x-forwarded-for when no proxy hops are configured', async () => {
    const { from } = limited({ hops: 0 });
    const results = [];
    for (let i = 0; i < 4; i++) results.push((await from('203.0.113.1', `10.9.9.${i}`)).statusCode);
    expect(results).toEqual([200, 200, 200, 429]);
  });

  it('with one trusted hop, uses only the entry our proxy appended, whatever the client put before it', async () => {
    const { from } = limited({ hops: 1 });
    const results = [];
    // The proxy's own address (sourceIp) and the client's fake entries change; the real client does not.
    for (let i = 0; i < 4; i++) results.push((await from(`10.0.0.${i}`, `6.6.6.${i}, 198.51.100.4`)).statusCode);
    expect(results).toEqual([200, 200, 200, 429]);
    expect((await from('10.0.0.1', '198.51.100.5')).statusCode).toBe(200);
  });

  it('fails OPEN on a normal route when the store is down, with a warning', async () => {
    const clock = fakeClock();
    const { store, state } = switchable(new MemoryDocumentStore(clock));
    const { from, platform } = limited({ store, clock });
    state.down = true;
    expect(await statuses(5, () => from('203.0.113.1'))).toEqual([200, 200, 200, 200, 200]);
    expect(platform.lines.some((line) => line.includes('rate limit store unavailable'))).toBe(true);
    state.down = false;
    expect(await statuses(4, () => from('203.0.113.1'))).toEqual([200, 200, 200, 429]);
  });

  it('a store that hangs counts as down after the deadline: open lets it through, closed answers 503', async () => {
    const hanging: DocumentStore = {
      ensure: async () => undefined,
      repository: <T extends Document>() => new Proxy({}, { get: () => () => new Promise(() => undefined) }) as DocumentRepository<T>,
    };
    const clock = fakeClock();
    for (const failClosed of [false, true]) {
      const limiter = new RateLimiter({ store: hanging, clock, timeoutMs: 50 });
      const handler = serve({ rateLimitFailClosed: failClosed }, ok, testPlatform({ rateLimits: { config: loadRateLimits(LIMITS), limiter } }));
      // The store never answers: that these answers come at all is the deadline at work (no elapsed-time bound).
      const results = await Promise.all(Array.from({ length: 5 }, () => handler(httpEvent({ method: 'POST', path: '/api/test' }), lambdaContext())));
      expect(results.map((result) => (result as APIGatewayProxyStructuredResultV2).statusCode)).toEqual(Array(5).fill(failClosed ? 503 : 200));
    }
  });

  it('fails CLOSED on a route marked failClosed: 503 with Retry-After', async () => {
    const clock = fakeClock();
    const { store, state } = switchable(new MemoryDocumentStore(clock));
    const { from } = limited({ store, clock, failClosed: true });
    state.down = true;
    const result = await from('203.0.113.1');
    expect(result.statusCode).toBe(503);
    expect(result.headers?.['retry-after']).toBe('7');
    expect(JSON.parse(result.body ?? '{}')).toMatchObject({ code: 'unavailable' });
  });
});

describe('credentialLimits: the PIN and login routes', () => {
  const body = { type: 'object', required: ['email'], additionalProperties: false, properties: { email: { type: 'string' }, pin: { type: 'string' } } };
  const GOOD = '424242';

  function login(options: { store?: DocumentStore; clock?: ReturnType<typeof fakeClock> } = {}) {
    const clock = options.clock ?? fakeClock();
    const store = options.store ?? new MemoryDocumentStore(clock);
    let reached = 0;
    // The credential limits alone (the defaults: 5 failures per e-mail and address, 50 per e-mail,
    // 20 requests per address, each per 15 minutes): `rateLimit: false` keeps the route limit out,
    // so every 429 below is theirs. Only the PIN 424242 is right; anything else is a 401.
    const platform = testPlatform({ rateLimits: { config: loadRateLimits({}), limiter: new RateLimiter({ store, clock }) } });
    const handler = serve<{ pin?: string }>({ route: 'auth/login', request: { body }, credentialLimits: true, rateLimit: false }, async (event) => {
      reached++;
      if (event.json.pin !== GOOD) throw new AppError(401, 'invalid_credentials', 'Wrong.');
      return json(200, { ok: true });
    }, platform);
    const attempt = async (email: string, ip: string, pin = '000000') => {
      const event = httpEvent({ method: 'POST', path: '/api/auth/login', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, pin }) });
      event.requestContext.http.sourceIp = ip;
      return (await handler(event, lambdaContext())) as APIGatewayProxyStructuredResultV2;
    };
    return { attempt, clock, reached: () => reached };
  }

  it('refuses the address that failed 5 times for an e-mail, whatever its case and spacing, and no other address', async () => {
    const { attempt, clock } = login();
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await attempt(i % 2 ? ' Victim@Example.com ' : 'victim@example.com', '203.0.113.1')).statusCode);
    expect(codes).toEqual([401, 401, 401, 401, 401]);
    // The attacker is refused, even with the right PIN, before the handler sees it.
    const refused = await attempt('VICTIM@example.COM', '203.0.113.1', GOOD);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers?.['content-type']).toBe('application/problem+json');
    expect(JSON.parse(refused.body ?? '{}')).toMatchObject({ code: 'rate_limited' });
    // The whole window, then a fifth of the next (5 * (1 - g) + 1 <= 5).
    expect(Number(refused.headers?.['retry-after'])).toBe(900 + 180);
    // The owner, from another address, signs in; so does the attacker's address for another e-mail.
    expect((await attempt('victim@example.com', '198.51.100.7', GOOD)).statusCode).toBe(200);
    expect((await attempt('someone-else@example.com', '203.0.113.1')).statusCode).toBe(401);
    clock.advance(1080 * 1000 - 1);
    expect((await attempt('victim@example.com', '203.0.113.1', GOOD)).statusCode).toBe(429);
    clock.advance(1);
    expect((await attempt('victim@example.com', '203.0.113.1', GOOD)).statusCode).toBe(200);
  });

  it('does not count successful attempts as failures', async () => {
    const { attempt } = login();
    const codes = [];
    for (let i = 0; i < 12; i++) codes.push((await attempt('owner@example.com', '198.51.100.7', GOOD)).statusCode);
    expect(codes).toEqual(Array(12).fill(200));
    expect((await attempt('owner@example.com', '198.51.100.7')).statusCode).toBe(401);
  });

  it('stops an attacker spread over many addresses at the per-e-mail ceiling (50), yet lets the owner in from an address that has not failed', async () => {
    const { attempt, reached } = login();
    // 25 addresses, 2 failures each: every one is far under its own limit of 5.
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 25; i++) expect((await attempt('victim@example.com', `192.0.2.${i}`)).statusCode).toBe(401);
    }
    const before = reached();
    for (let i = 0; i < 25; i++) {
      const refused = await attempt('victim@example.com', `192.0.2.${i}`, GOOD);
      expect(refused.statusCode).toBe(429);
      expect(JSON.parse(refused.body ?? '{}')).toMatchObject({ code: 'rate_limited' });
    }
    expect(reached()).toBe(before);
    // An address with no failures for this e-mail is not blocked by the ceiling: the owner signs in.
    expect((await attempt('victim@example.com', '198.51.100.7', GOOD)).statusCode).toBe(200);
    // A fresh attacker address gets one guess; once it has failed, the ceiling holds it too.
    expect((await attempt('victim@example.com', '192.0.2.200')).statusCode).toBe(401);
    expect((await attempt('victim@example.com', '192.0.2.200', GOOD)).statusCode).toBe(429);
  });

  it('allows 20 attempts per address per 15 minutes across many e-mails', async () => {
    const { attempt } = login();
    const codes = [];
    for (let i = 0; i < 21; i++) codes.push((await attempt(`user${i}@example.com`, '198.51.100.4')).statusCode);
    expect(codes.slice(0, 20).every((code) => code === 401)).toBe(true);
    expect(codes[20]).toBe(429);
  });

  it('a client over its address limit does not also use up the victim e-mail allowance', async () => {
    const { attempt } = login();
    for (let i = 0; i < 20; i++) await attempt(`user${i}@example.com`, '198.51.100.4');
    for (let i = 0; i < 10; i++) expect((await attempt('victim@example.com', '198.51.100.4')).statusCode).toBe(429);
    expect((await attempt('victim@example.com', '203.0.113.50', GOOD)).statusCode).toBe(200);
  });

  it('runs after validation: an invalid body is a 400 and counts against nothing', async () => {
    const { attempt, reached } = login();
    for (let i = 0; i < 30; i++) {
      const result = await attempt(42 as unknown as string, '198.51.100.4');
      expect(result.statusCode).toBe(400);
    }
    expect((await attempt('a@example.com', '198.51.100.4', GOOD)).statusCode).toBe(200);
    // Nor does a 400 from validation count as a failed guess.
    for (let i = 0; i < 10; i++) expect((await attempt('a@example.com', '198.51.100.5', 7 as unknown as string)).statusCode).toBe(400);
    expect((await attempt('a@example.com', '198.51.100.5', GOOD)).statusCode).toBe(200);
    expect(reached()).toBe(2);
  });

  it('is off, like every limit, when RATE_LIMITING_ENABLED=false', async () => {
    const clock = fakeClock();
    const platform = testPlatform({ rateLimits: { config: loadRateLimits({ RATE_LIMITING_ENABLED: 'false' }), limiter: new RateLimiter({ store: new MemoryDocumentStore(clock), clock }) } });
    const handler = serve({ route: 'auth/login', request: { body }, credentialLimits: true }, async () => json(200, { ok: true }), platform);
    const statuses = [];
    for (let i = 0; i < 8; i++) {
      const event = httpEvent({ method: 'POST', path: '/api/auth/login', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'a@example.com' }) });
      statuses.push(((await handler(event, lambdaContext())) as APIGatewayProxyStructuredResultV2).statusCode);
    }
    expect(statuses).toEqual(Array(8).fill(200));
  });

  it('fails CLOSED when the store is down', async () => {
    const clock = fakeClock();
    const { store, state } = switchable(new MemoryDocumentStore(clock));
    const { attempt, reached } = login({ store, clock });
    state.down = true;
    const result = await attempt('victim@example.com', '203.0.113.1');
    expect(result.statusCode).toBe(503);
    expect(result.headers?.['retry-after']).toBe('7');
    expect(reached()).toBe(0);
  });
});

describe('loadRateLimits', () => {
  it("has the seed's limits and the credential limits by default, no proxy hops, limiting on", () => {
    const config = loadRateLimits({});
    expect(Object.fromEntries(config.limits)).toEqual({
      default: { name: 'default', limit: 100, windowSeconds: 60 },
      discovery: { name: 'discovery', limit: 30, windowSeconds: 60 },
      capabilities: { name: 'capabilities', limit: 60, windowSeconds: 60 },
      synthesis: { name: 'synthesis', limit: 50, windowSeconds: 60 },
      training: { name: 'training', limit: 10, windowSeconds: 60 },
      scraper: { name: 'scraper', limit: 20, windowSeconds: 60 },
      auth: { name: 'auth', limit: 20, windowSeconds: 60 },
      'credential-email-address': { name: 'credential-email-address', limit: 5, windowSeconds: 900 },
      'credential-email': { name: 'credential-email', limit: 50, windowSeconds: 900 },
      'credential-address': { name: 'credential-address', limit: 20, windowSeconds: 900 },
    });
    expect(config.trustedProxyHops).toBe(0);
    expect(config.enabled).toBe(true);
  });

  it('reads RATE_LIMIT_<NAME> as per minute, or per window, and any new name defines a limit', () => {
    const config = loadRateLimits({
      RATE_LIMIT_DEFAULT: '120',
      RATE_LIMIT_SYNTHESIS: ' 20 ',
      RATE_LIMIT_TRAINING: '5/m',
      RATE_LIMIT_BULK_EXPORT: '1000/1h',
      RATE_LIMIT_CREDENTIAL_EMAIL: '3/10m',
      RATE_LIMITING_ENABLED: 'true',
      TRUSTED_PROXY_HOPS: '1',
    });
    expect(config.limits.get('default')).toEqual({ name: 'default', limit: 120, windowSeconds: 60 });
    expect(config.limits.get('synthesis')?.limit).toBe(20);
    expect(config.limits.get('training')).toEqual({ name: 'training', limit: 5, windowSeconds: 60 });
    expect(config.limits.get('bulk-export')).toEqual({ name: 'bulk-export', limit: 1000, windowSeconds: 3600 });
    expect(config.limits.get('credential-email')).toEqual({ name: 'credential-email', limit: 3, windowSeconds: 600 });
    expect(config.trustedProxyHops).toBe(1);
  });

  it.each([
    ['RATE_LIMIT_DEFAULT', 'lots'],
    ['RATE_LIMIT_DEFAULT', '-5'],
    ['RATE_LIMIT_DEFAULT', '0'],
    ['RATE_LIMIT_DEFAULT', '1.5'],
    ['RATE_LIMIT_SYNTHESIS', '10/2d'],
    ['RATE_LIMIT_TRAINING', '10/25h'],
    ['RATE_LIMIT_lower', '10'],
    ['RATE_LIMIT_BAD__NAME', '10'],
    ['TRUSTED_PROXY_HOPS', 'two'],
    ['TRUSTED_PROXY_HOPS', '11'],
    ['RATE_LIMITING_ENABLED', 'maybe'],
  ])('refuses %s=%s with a ConfigError naming it', (variable, value) => {
    expect(() => loadRateLimits({ [variable]: value })).toThrow(ConfigError);
    try {
      loadRateLimits({ [variable]: value });
    } catch (error) {
      expect((error as ConfigError).variable).toBe(variable);
    }
  });

  it('resolves a route to its limit, none for rateLimit: false or when limiting is off, and refuses an undefined name', () => {
    const config = loadRateLimits({ RATE_LIMIT_SYNTHESIS: '20' });
    expect(routeRateLimit(config, { route: 'x' })?.name).toBe('default');
    expect(routeRateLimit(config, { route: 'x', rateLimit: 'synthesis' })?.limit).toBe(20);
    expect(routeRateLimit(config, { route: 'x', rateLimit: false })).toBeUndefined();
    expect(routeRateLimit(loadRateLimits({ RATE_LIMITING_ENABLED: 'false' }), { route: 'x' })).toBeUndefined();
    expect(() => routeRateLimit(config, { route: 'voices', rateLimit: 'voice-upload' })).toThrow(/RATE_LIMIT_VOICE_UPLOAD/);
  });

  it('leaves a webhook route unlimited unless it names a limit', () => {
    const config = loadRateLimits({ RATE_LIMIT_HOOKS: '30' });
    const webhook = { secretsVariable: 'X_WEBHOOK_SECRETS' };
    expect(routeRateLimit(config, { route: 'hooks', webhook })).toBeUndefined();
    expect(routeRateLimit(config, { route: 'hooks', webhook, rateLimit: 'hooks' })?.limit).toBe(30);
  });
});

/**
 * Standard Webhooks verification and replay handling, through the real standard stack
 * (httpHandler places the signature check before the JSON parser), on the in-memory store with
 * a fake clock.
 */
import { describe, expect, it } from '@jest/globals';
import { MemoryDocumentStore } from '../../adapters/memory/documents.ts';
import { ConfigError } from '../../app/config.ts';
import { AppError } from '../../domain/errors.ts';
import { checkWebhookTimestamp, deliveryRecordId, parseWebhookHeaders } from '../../domain/webhooks.ts';
import { json, type PorticoHttpHandler } from '../../middleware/http-stack.ts';
import {
  loadWebhookSecrets,
  parseWebhookSecret,
  signWebhook,
  verifyWebhookSignature,
  webhookDeliveriesContainer,
  type WebhookEvent,
} from '../../middleware/webhooks.ts';
import { NEW_SECRET, OLD_SECRET, OTHER_SECRET, SECRETS_VARIABLE, delivery, fakeClock, nowSeconds, problemOf, webhookRoute, type WebhookRouteOptions } from './support.ts';

const ORIGIN = 'https://app.example.com';
const BODY = '{"type":"voice.trained","n":1}';

function setup(options: { handler?: PorticoHttpHandler; route?: WebhookRouteOptions['route'] } = {}) {
  const clock = fakeClock();
  const store = new MemoryDocumentStore(clock);
  const seen: WebhookEvent[] = [];
  const handler: PorticoHttpHandler =
    options.handler ??
    (async (event) => {
      seen.push(event as WebhookEvent);
      return json(200, { received: true });
    });
  const send = webhookRoute(handler, { store, clock, ...(options.route ? { route: options.route } : {}) });
  return { clock, store, send, seen, ts: () => nowSeconds(clock) };
}

async function expectRejected(result: Awaited<ReturnType<ReturnType<typeof setup>['send']>>, code: string) {
  expect(result.statusCode).toBe(401);
  expect(problemOf(result)).toMatchObject({ status: 401, code });
  expect(result.headers?.['content-type']).toBe('application/problem+json');
  // The rest of the stack still ran: CORS and the request id are on the rejection.
  expect(result.headers?.['access-control-allow-origin']).toBe(ORIGIN);
  expect(result.headers?.['x-request-id']).toBeDefined();
}

describe('signatures', () => {
  it("matches the spec's test vector", () => {
    expect(signWebhook(OLD_SECRET, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('accepts a valid delivery and hands the parsed body and the delivery to the handler', async () => {
    const { send, seen, ts } = setup();
    const result = await send(delivery({ id: 'msg_1', timestamp: ts(), body: BODY }));
    expect(result.statusCode).toBe(200);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.json).toEqual({ type: 'voice.trained', n: 1 });
    expect(seen[0]!.webhook).toEqual({ id: 'msg_1', timestamp: ts(), duplicate: false });
  });

  it.each([
    ['no webhook-id', { 'webhook-id': undefined }],
    ['no webhook-timestamp', { 'webhook-timestamp': undefined }],
    ['no webhook-signature', { 'webhook-signature': undefined }],
    ['an empty webhook-signature', { 'webhook-signature': '' }],
    ['a webhook-id with a space', { 'webhook-id': 'msg 1' }],
    ['a webhook-id with a control character', { 'webhook-id': 'msg\u00011' }],
    ['a 257-character webhook-id', { 'webhook-id': 'm'.repeat(257) }],
    ['a non-numeric timestamp', { 'webhook-timestamp': 'yesterday' }],
    ['a fractional timestamp', { 'webhook-timestamp': '1795341600.5' }],
    ['a negative timestamp', { 'webhook-timestamp': '-1795341600' }],
    ['a millisecond timestamp', { 'webhook-timestamp': '1795341600000' }],
    ['only an unknown scheme', { 'webhook-signature': 'v2,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=' }],
    ['a bare signature with no scheme', { 'webhook-signature': 'K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=' }],
    ['an empty v1 entry', { 'webhook-signature': 'v1,' }],
    ['a v1 entry that is not base64', { 'webhook-signature': 'v1,not*base64!' }],
    ['a v1 entry of 31 bytes', { 'webhook-signature': `v1,${Buffer.alloc(31, 1).toString('base64')}` }],
    ['a v1 entry of 33 bytes', { 'webhook-signature': `v1,${Buffer.alloc(33, 1).toString('base64')}` }],
    ['17 signature entries', { 'webhook-signature': Array(17).fill(`v1,${Buffer.alloc(32).toString('base64')}`).join(' ') }],
  ])('refuses %s: 401 invalid_signature, and the handler never runs', async (_name, headers) => {
    const { send, seen, ts } = setup();
    const event = delivery({ id: 'msg_1', timestamp: ts(), body: BODY, headers });
    // Header values with control characters cannot come over HTTP, but an event can carry anything.
    await expectRejected(await send(event), 'invalid_signature');
    expect(seen).toHaveLength(0);
  });

  it('refuses a signature made with a secret we do not hold', async () => {
    const { send, seen, ts } = setup();
    await expectRejected(await send(delivery({ id: 'msg_1', timestamp: ts(), body: BODY, secrets: [OTHER_SECRET] })), 'invalid_signature');
    expect(seen).toHaveLength(0);
  });

  it('rotation: the old and the new secret are both accepted', async () => {
    const { send, ts } = setup();
    expect((await send(delivery({ id: 'msg_old', timestamp: ts(), body: BODY, secrets: [OLD_SECRET] }))).statusCode).toBe(200);
    expect((await send(delivery({ id: 'msg_new', timestamp: ts(), body: BODY, secrets: [NEW_SECRET] }))).statusCode).toBe(200);
  });

  it('rotation: several signatures in the header, one of which matches, in any position and with other schemes', async () => {
    const { send, ts } = setup();
    expect((await send(delivery({ id: 'msg_a', timestamp: ts(), body: BODY, secrets: [OTHER_SECRET, NEW_SECRET] }))).statusCode).toBe(200);
    expect((await send(delivery({ id: 'msg_b', timestamp: ts(), body: BODY, secrets: [OLD_SECRET, OTHER_SECRET] }))).statusCode).toBe(200);
    const good = signWebhook(NEW_SECRET, 'msg_c', ts(), BODY);
    const header = `v1a,c29tZSBhc3ltbWV0cmljIHNpZ25hdHVyZQ== v1,${Buffer.alloc(32).toString('base64')}  ${good}`;
    expect((await send(delivery({ id: 'msg_c', timestamp: ts(), body: BODY, headers: { 'webhook-signature': header } }))).statusCode).toBe(200);
    // A repeated header reaches us joined by ", ".
    const joined = `${signWebhook(OTHER_SECRET, 'msg_d', ts(), BODY)}, ${signWebhook(OLD_SECRET, 'msg_d', ts(), BODY)}`;
    expect((await send(delivery({ id: 'msg_d', timestamp: ts(), body: BODY, headers: { 'webhook-signature': joined } }))).statusCode).toBe(200);
  });

  it('refuses a tampered body, id or timestamp', async () => {
    const { send, ts } = setup();
    const signed = delivery({ id: 'msg_1', timestamp: ts(), body: BODY });
    await expectRejected(await send({ ...signed, body: BODY.replace('"n":1', '"n":2') }), 'invalid_signature');
    await expectRejected(await send({ ...signed, body: `${BODY} ` }), 'invalid_signature');
    await expectRejected(await send({ ...signed, headers: { ...signed.headers, 'webhook-id': 'msg_2' } }), 'invalid_signature');
    await expectRejected(await send({ ...signed, headers: { ...signed.headers, 'webhook-timestamp': String(ts() - 1) } }), 'invalid_signature');
    // The untouched delivery still passes: nothing above consumed its id.
    expect((await send(signed)).statusCode).toBe(200);
  });

  it('verifies the raw bytes of a base64 body, binary or JSON', async () => {
    const { send, ts } = setup({ route: { request: {} } });
    const binary = Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x7b]);
    expect((await send(delivery({ id: 'msg_bin', timestamp: ts(), body: binary, contentType: 'application/octet-stream' }))).statusCode).toBe(200);
    const tampered = delivery({ id: 'msg_bin2', timestamp: ts(), body: binary, contentType: 'application/octet-stream' });
    await expectRejected(await send({ ...tampered, body: Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x7c]).toString('base64') }), 'invalid_signature');
    const json64 = setup();
    expect((await json64.send(delivery({ id: 'msg_j', timestamp: json64.ts(), body: BODY, base64: true }))).statusCode).toBe(200);
    expect(json64.seen[0]!.json).toEqual({ type: 'voice.trained', n: 1 });
  });

  it('compares fixed-length digests only (a short signature never reaches timingSafeEqual)', () => {
    const headers = { id: 'a', timestamp: '1', signatures: ['AAAA', Buffer.alloc(64).toString('base64')] };
    expect(verifyWebhookSignature([parseWebhookSecret(OLD_SECRET)], headers, Buffer.from(''))).toBe(false);
  });
});

describe('the timestamp window', () => {
  it.each([
    [-300, 200],
    [300, 200],
    [-301, 401],
    [301, 401],
    [-86_400, 401],
    [86_400, 401],
  ])('sent %i s from our clock -> %i', async (offset, status) => {
    const { send, seen, ts } = setup();
    const result = await send(delivery({ id: `msg_${offset}`, timestamp: ts() + offset, body: BODY }));
    expect(result.statusCode).toBe(status);
    if (status === 401) {
      expect(problemOf(result).code).toBe('stale_webhook');
      expect(seen).toHaveLength(0);
    }
  });

  it('uses whole seconds of our clock, as the reference libraries do', () => {
    expect(() => checkWebhookTimestamp('1000', 1_300_999)).not.toThrow();
    expect(() => checkWebhookTimestamp('1000', 1_301_000)).toThrow(AppError);
    expect(() => checkWebhookTimestamp('1000', 700_000)).not.toThrow();
    expect(() => checkWebhookTimestamp('1000', 699_999)).toThrow(AppError);
  });
});

describe('replays', () => {
  it('a replay of a handled delivery is acknowledged 200 duplicate without running the handler, with the stack headers', async () => {
    const { send, seen, ts } = setup();
    const event = delivery({ id: 'msg_1', timestamp: ts(), body: BODY });
    expect((await send(event)).statusCode).toBe(200);
    const again = await send(event);
    expect(again.statusCode).toBe(200);
    expect(JSON.parse(again.body ?? '{}')).toEqual({ status: 'duplicate' });
    expect(again.headers).toMatchObject({ 'access-control-allow-origin': ORIGIN, 'x-content-type-options': 'nosniff' });
    expect(again.headers?.['x-request-id']).toBeDefined();
    expect(seen).toHaveLength(1);
  });

  it("the sender's retry, re-signed with a fresh timestamp minutes later, is still a duplicate", async () => {
    const { send, seen, clock, ts } = setup();
    expect((await send(delivery({ id: 'msg_1', timestamp: ts(), body: BODY }))).statusCode).toBe(200);
    clock.advance(2 * 3600 * 1000);
    const retry = await send(delivery({ id: 'msg_1', timestamp: ts(), body: BODY, secrets: [NEW_SECRET] }));
    expect(JSON.parse(retry.body ?? '{}')).toEqual({ status: 'duplicate' });
    expect(seen).toHaveLength(1);
  });

  it('a captured delivery replayed after the window is stale', async () => {
    const { send, clock, ts } = setup();
    const event = delivery({ id: 'msg_1', timestamp: ts(), body: BODY });
    expect((await send(event)).statusCode).toBe(200);
    clock.advance(301_000);
    expect(problemOf(await send(event)).code).toBe('stale_webhook');
  });

  it('a delivery of an id still in progress gets 409 webhook_in_progress with Retry-After', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let runs = 0;
    const { send, ts } = setup({
      handler: async () => {
        runs++;
        await gate;
        return json(200, {});
      },
    });
    const event = () => delivery({ id: 'msg_slow', timestamp: ts(), body: BODY });
    const first = send(event());
    // Until the first delivery is inside its handler (not a fixed 20 ms, which a busy machine can overrun).
    while (runs === 0) await new Promise((resolve) => setImmediate(resolve));
    const second = await send(event());
    expect(second.statusCode).toBe(409);
    expect(problemOf(second).code).toBe('webhook_in_progress');
    expect(second.headers?.['retry-after']).toBeDefined();
    release();
    expect((await first).statusCode).toBe(200);
    expect(JSON.parse((await send(event())).body ?? '{}')).toEqual({ status: 'duplicate' });
    expect(runs).toBe(1);
  });

  it("a handler that fails releases the claim, so the sender's retry runs it again", async () => {
    let calls = 0;
    const { send, ts } = setup({
      handler: async () => {
        calls++;
        if (calls === 1) throw new Error('downstream timed out');
        if (calls === 2) return json(503, { error: 'busy' });
        return json(200, { ok: true });
      },
    });
    const event = delivery({ id: 'msg_flaky', timestamp: ts(), body: BODY });
    expect((await send(event)).statusCode).toBe(500);
    expect((await send(event)).statusCode).toBe(503);
    expect((await send(event)).statusCode).toBe(200);
    expect(JSON.parse((await send(event)).body ?? '{}')).toEqual({ status: 'duplicate' });
    expect(calls).toBe(3);
  });

  it('a signed delivery whose body fails parsing or validation is released too', async () => {
    const { send, store, ts } = setup();
    expect((await send(delivery({ id: 'msg_bad', timestamp: ts(), body: '{"type":' }))).statusCode).toBe(400);
    expect((await send(delivery({ id: 'msg_bad', timestamp: ts(), body: '{"kind":"x"}' }))).statusCode).toBe(400);
    const records = store.repository(webhookDeliveriesContainer);
    // The route's scope is its secrets variable (httpHandler passes it as the scope).
    const id = deliveryRecordId(SECRETS_VARIABLE, 'msg_bad');
    expect(await records.get(id, id)).toBeUndefined();
  });

  it('keeps a done record for days (the retention), and a claim only for the replay window', async () => {
    const { send, store, clock, ts } = setup();
    await send(delivery({ id: 'msg/with?odd#chars', timestamp: ts(), body: BODY }));
    const id = deliveryRecordId(SECRETS_VARIABLE, 'msg/with?odd#chars');
    const record = await store.repository(webhookDeliveriesContainer).get(id, id);
    expect(record).toMatchObject({ status: 'done', webhookId: 'msg/with?odd#chars', expiresAt: clock.now().getTime() + 3 * 86_400_000 });
  });

  it('separates senders by scope', async () => {
    // httpHandler scopes a route's deliveries by its secrets variable.
    const clock = fakeClock();
    const store = new MemoryDocumentStore(clock);
    let runs = 0;
    const handler: PorticoHttpHandler = async () => {
      runs++;
      return json(200, {});
    };
    const a = webhookRoute(handler, { store, clock, secretsVariable: 'BILLING_WEBHOOK_SECRETS' });
    const b = webhookRoute(handler, { store, clock, secretsVariable: 'SPEECH_WEBHOOK_SECRETS' });
    const event = delivery({ id: 'msg_1', timestamp: nowSeconds(clock), body: BODY });
    await a(event);
    await b(event);
    await a(event);
    expect(runs).toBe(2);
  });
});

describe('loadWebhookSecrets', () => {
  it('reads one or more whsec_ secrets separated by commas or spaces', () => {
    expect(loadWebhookSecrets('HOOKS', { HOOKS: OLD_SECRET })).toHaveLength(1);
    expect(loadWebhookSecrets('HOOKS', { HOOKS: ` ${OLD_SECRET}, ${NEW_SECRET}  ${OTHER_SECRET} ` })).toHaveLength(3);
  });

  it.each([
    ['unset', undefined],
    ['empty', ''],
    ['only separators', ' , ,'],
    ['no whsec_ prefix', Buffer.alloc(24, 7).toString('base64')],
    ['not base64', 'whsec_not*base64*at*all*but*long*enough'],
    ['base64 with junk inside', `whsec_${Buffer.alloc(24, 7).toString('base64').slice(0, 10)}=${Buffer.alloc(24, 7).toString('base64').slice(10)}`],
    ['too short', `whsec_${Buffer.alloc(16, 7).toString('base64')}`],
    ['one good, one bad', `${OLD_SECRET},whsec_`],
  ])('refuses %s with a ConfigError that names the variable and not the secret', (_name, value) => {
    const env = value === undefined ? {} : { HOOKS: value };
    expect(() => loadWebhookSecrets('HOOKS', env)).toThrow(ConfigError);
    try {
      loadWebhookSecrets('HOOKS', env);
    } catch (error) {
      expect((error as ConfigError).variable).toBe('HOOKS');
      for (const part of (value ?? '').split(/[\s,]+/).filter((part) => part.length > 8)) expect((error as Error).message).not.toContain(part);
    }
  });

  it('parses headers purely (domain)', () => {
    expect(parseWebhookHeaders({ 'webhook-id': 'msg_1', 'webhook-timestamp': '1614265330', 'webhook-signature': 'v1a,xyz v1,abc= v1,def=' })).toEqual({
      id: 'msg_1',
      timestamp: '1614265330',
      signatures: ['abc=', 'def='],
    });
  });
});

/**
 * Webhook registrations and the signed deliveries to them, through the composition root on
 * memory ports (the real offline provider and ffmpeg) and the real SSRF-safe client posting to a
 * receiver on 127.0.0.1: registration, its validation and ownership; a voice becoming ready is
 * one signed `voice.ready` to the registration subscribed to it and none to the other; a
 * receiver failing then recovering gets the same webhook-id again; a registration deleted before
 * its delivery gets nothing; a name resolving to a private address is refused for good.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { JobRecord } from '../../domain/jobs.ts';
import { deadLettersContainer, jobsContainer } from '../../jobs/containers.ts';
import type { DeadLetterRecord } from '../../jobs/dead-letters.ts';
import { parseWebhookSecret, signWebhook, verifyWebhookSignature } from '../../middleware/webhooks.ts';
import { setup } from './support/app.ts';
import { tone } from './support/audio.ts';
import { startReceiver } from './support/receiver.ts';

let wav: Uint8Array;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  wav = await tone({ seconds: 4 });
  receiver = await startReceiver();
}, 60_000);
afterAll(() => receiver.close());

const app = (env: Record<string, string> = {}) => setup({ env, ports: { safeHttp: receiver.safeHttp }, roles: { admin: ['Voice.Admin'], reader: ['Voice.Enroll'] } });
const register = (t: ReturnType<typeof setup>, user: string, url: string, events: string[]) => t.request(user, 'voice-webhooks-create', { body: { url, events } });

describe('webhook registrations', () => {
  it('registers an https URL: 201 with a whsec_ secret shown once; listed and read without it; another user\'s is 404, Voice.Admin reads it', async () => {
    const t = app();
    const created = await register(t, 'alice', 'https://hooks.example.com/voice', ['voice.ready', 'synthesis.succeeded']);
    expect(created.statusCode).toBe(201);
    expect(created.json).toMatchObject({ url: 'https://hooks.example.com/voice', events: ['voice.ready', 'synthesis.succeeded'], secret: expect.stringMatching(/^whsec_/), created_at: expect.any(String) });
    expect(() => parseWebhookSecret(created.json!.secret)).not.toThrow();
    const id = created.json!.id as string;
    expect(created.headers.location).toBe(`/api/voice/webhooks/${id}`);

    const listed = await t.request('alice', 'voice-webhooks-list');
    expect(listed.json!.items).toEqual([{ id, url: 'https://hooks.example.com/voice', events: ['voice.ready', 'synthesis.succeeded'], created_at: created.json!.created_at }]);
    const read = await t.request('alice', 'voice-webhooks-get', { params: { id } });
    expect(read.statusCode).toBe(200);
    expect(read.json).not.toHaveProperty('secret');
    // A second registration has its own secret.
    expect((await register(t, 'alice', 'https://hooks.example.com/other', ['voice.failed'])).json!.secret).not.toBe(created.json!.secret);

    expect((await t.request('reader', 'voice-webhooks-list')).json!.items).toEqual([]);
    expect((await t.request('bob', 'voice-webhooks-get', { params: { id } })).json).toMatchObject({ status: 404, code: 'not_found' });
    expect((await t.request('bob', 'voice-webhooks-delete', { params: { id } })).statusCode).toBe(404);
    expect((await t.request('admin', 'voice-webhooks-get', { params: { id } })).statusCode).toBe(200);

    expect((await t.request('alice', 'voice-webhooks-delete', { params: { id } })).statusCode).toBe(204);
    expect((await t.request('alice', 'voice-webhooks-get', { params: { id } })).statusCode).toBe(404);
    expect((await t.request('alice', 'voice-webhooks-list')).json!.items).toHaveLength(1);
  });

  it('refuses a URL that is not https or names a private address (400), an unknown event, and registrations past VOICE_WEBHOOKS_PER_USER (409)', async () => {
    const t = app({ VOICE_WEBHOOKS_PER_USER: '2' });
    expect((await register(t, 'alice', 'http://hooks.example.com/', ['voice.ready'])).json).toMatchObject({ status: 400, code: 'url_scheme_not_allowed' });
    for (const url of ['https://10.0.0.7/hook', 'https://127.0.0.1/hook', 'https://[::1]/hook', 'https://169.254.169.254/latest']) {
      expect((await register(t, 'alice', url, ['voice.ready'])).json).toMatchObject({ status: 400, code: 'url_not_allowed' });
    }
    expect((await register(t, 'alice', 'https://user:pw@hooks.example.com/', ['voice.ready'])).json).toMatchObject({ status: 400, code: 'url_credentials_not_allowed' });
    expect((await register(t, 'alice', 'https://hooks.example.com/', ['voice.deleted'])).json).toMatchObject({ status: 400, code: 'validation_failed' });
    expect((await register(t, 'alice', 'https://hooks.example.com/', [])).json).toMatchObject({ status: 400, code: 'validation_failed' });

    expect((await register(t, 'alice', 'https://hooks.example.com/1', ['voice.ready'])).statusCode).toBe(201);
    expect((await register(t, 'alice', 'https://hooks.example.com/2', ['voice.ready'])).statusCode).toBe(201);
    expect((await register(t, 'alice', 'https://hooks.example.com/3', ['voice.ready'])).json).toMatchObject({ status: 409, code: 'too_many_webhooks' });
    // The limit is per user.
    expect((await register(t, 'bob', 'https://hooks.example.com/3', ['voice.ready'])).statusCode).toBe(201);
  });
});

describe('outgoing voice events', () => {
  it('takes http on a loopback address only with VOICE_WEBHOOKS_ALLOW_LOOPBACK (development), and never another private or plain-http URL', async () => {
    const strict = app();
    expect((await register(strict, 'alice', 'http://127.0.0.1:9/hook', ['voice.ready'])).statusCode).toBe(400);
    const dev = app({ VOICE_WEBHOOKS_ALLOW_LOOPBACK: 'true' });
    expect((await register(dev, 'alice', 'http://127.0.0.1:9/hook', ['voice.ready'])).statusCode).toBe(201);
    expect((await register(dev, 'alice', 'http://[::1]:9/hook', ['voice.ready'])).statusCode).toBe(201);
    expect((await register(dev, 'alice', 'http://10.0.0.5/hook', ['voice.ready'])).statusCode).toBe(400);
    expect((await register(dev, 'alice', 'http://hooks.example.com/hook', ['voice.ready'])).json).toMatchObject({ status: 400, code: 'url_scheme_not_allowed' });
  });

  it('delivers one signed voice.ready to the registration subscribed to it, and nothing to one that is not', async () => {
    receiver.answer(204);
    const t = app();
    const subscribed = await register(t, 'alice', receiver.url('/ready'), ['voice.ready', 'voice.failed']);
    await register(t, 'alice', receiver.url('/synthesis-only'), ['synthesis.succeeded']);
    await register(t, 'bob', receiver.url('/bob'), ['voice.ready']);
    const voiceId = await t.readyVoice('alice', wav);
    await t.notify();

    expect(receiver.to('/synthesis-only')).toEqual([]);
    expect(receiver.to('/bob')).toEqual([]);
    const [delivery, ...more] = receiver.to('/ready');
    expect(more).toEqual([]);
    expect(delivery!.json).toMatchObject({ type: 'voice.ready', data: { voice_id: voiceId, status: 'ready', ready_at: expect.any(String) } });
    const secret = parseWebhookSecret(subscribed.json!.secret);
    expect(verifyWebhookSignature([secret], delivery!.webhook, delivery!.body)).toBe(true);
    expect(delivery!.headers['webhook-signature']).toBe(signWebhook(secret, delivery!.webhook.id, delivery!.webhook.timestamp, delivery!.body));
    expect(verifyWebhookSignature([parseWebhookSecret('whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')], delivery!.webhook, delivery!.body)).toBe(false);

    // The notification is sent; the next minutes deliver nothing more.
    t.clock.advance(60_000);
    await t.notify();
    expect(receiver.to('/ready')).toHaveLength(1);
  }, 60_000);

  it('retries a receiver failing then recovering, with the same webhook-id and a valid signature each time', async () => {
    receiver.answer(500, 204);
    const t = app();
    const { secret } = (await register(t, 'alice', receiver.url('/flaky'), ['voice.ready'])).json!;
    await t.readyVoice('alice', wav);
    await t.notify();
    expect(receiver.to('/flaky')).toHaveLength(1);
    // The retry waits for its backoff.
    t.clock.advance(10 * 60_000);
    await t.drainWebhooks();
    const deliveries = receiver.to('/flaky');
    expect(deliveries).toHaveLength(2);
    expect(deliveries[1]!.webhook.id).toBe(deliveries[0]!.webhook.id);
    for (const delivery of deliveries) expect(verifyWebhookSignature([parseWebhookSecret(secret)], delivery.webhook, delivery.body)).toBe(true);
    const jobs = await t.ports.documents.repository<JobRecord>(jobsContainer).query({ filters: [{ field: 'type', op: '=', value: 'voice.webhook' }], limit: 10 });
    expect(jobs.items.map((job) => job.status)).toEqual(['completed']);
  }, 60_000);

  it('sends nothing to a registration deleted before its delivery ran', async () => {
    receiver.answer(204);
    const t = app();
    const id = (await register(t, 'alice', receiver.url('/deleted'), ['voice.ready'])).json!.id as string;
    await t.readyVoice('alice', wav);
    await t.fire('voice-notifications');
    await t.request('alice', 'voice-webhooks-delete', { params: { id } });
    expect(await t.drainWebhooks()).toBe(1);
    expect(receiver.to('/deleted')).toEqual([]);
  }, 60_000);

  it('refuses a host name resolving to a private address at delivery, for good: nothing sent, dead-lettered at once', async () => {
    receiver.answer(204);
    const t = app();
    expect((await register(t, 'alice', receiver.privateUrl('/private'), ['voice.ready'])).statusCode).toBe(201);
    await t.readyVoice('alice', wav);
    await t.notify();
    t.clock.advance(10 * 60_000);
    await t.drainWebhooks();
    expect(receiver.to('/private')).toEqual([]);
    const letters = await t.ports.documents.repository<DeadLetterRecord>(deadLettersContainer).query({ limit: 10 });
    expect(letters.items).toHaveLength(1);
    expect(letters.items[0]).toMatchObject({ reason: 'permanent_failure', attempts: 1, lastError: expect.stringContaining('private address') });
  }, 60_000);
});

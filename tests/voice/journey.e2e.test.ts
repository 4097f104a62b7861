/**
 * The voice journey on the local host (`adapters/local/main.ts`, embedded Azurite and Cosmos
 * emulator): sign up, get an upload URL, PUT a WAV the test makes straight to Azurite with it and
 * nothing else (the host's blob watcher fires the blob function), see the sample ready (and a text
 * file rejected with its reason), enroll, let the host's worker start the training and the monitor
 * timer finish it (fired through the admin endpoint rather than waiting for its minute), synthesize,
 * and fetch the audio back by its read URL: valid audio lasting more than half a second; a batch
 * of five with one bad item; the signed voice.ready event received by a local receiver; a
 * provider's callback replayed and handled once. Another user gets 404 on all of it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAudioProcessor } from '../../adapters/voice/audio.ts';
import { CosmosDocumentStore } from '../../adapters/cosmos/document-store.ts';
import { EMULATOR_KEY } from '../../adapters/local/cosmos-emulator.ts';
import { voicesContainer, type VoiceDoc } from '../../handlers/voice/store.ts';
import { signWebhook } from '../../middleware/webhooks.ts';
import { cosmosEndpointOf, startLocalHost, stopLocalHost, type LocalHostProcess } from '../support/local-host-process.ts';
import { NEW_SECRET } from '../webhooks/support.ts';
import { startReceiver } from './support/receiver.ts';
import { tone } from './support/audio.ts';

type Json = Record<string, unknown>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- replies are read loosely; the assertions are the check
type Reply = { status: number; body: Record<string, any> };

const PASSWORD = 'correct horse battery staple';
const dataDir = mkdtempSync(join(tmpdir(), 'portico-voice-journey-'));
let host: LocalHostProcess;
const consent = { statement: 'I am the speaker and I consent to a synthetic copy of my voice.', accepted_at: new Date().toISOString() };

async function call(token: string | undefined, method: string, path: string, body?: Json): Promise<Reply> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${host.url}/${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Json) : {} };
}

async function signUp(email: string): Promise<string> {
  expect((await call(undefined, 'POST', 'api/request_pin', { email })).status).toBe(202);
  const outbox = await call(undefined, 'GET', `api/dev/outbox?email=${encodeURIComponent(email)}`);
  const pin = /\b(\d{6,8})\b/.exec((outbox.body.messages as { text: string }[]).at(-1)!.text)![1];
  expect((await call(undefined, 'POST', 'api/confirm_signup', { email, pin, password: PASSWORD })).status).toBe(201);
  return (await call(undefined, 'POST', 'api/login', { email, password: PASSWORD })).body.access_token as string;
}

/**
 * Polls `read` until `done` holds (the host's queue worker runs jobs on its own schedule). The
 * bound is generous: a timer fired on demand in a minute the host's scheduler already ran is
 * skipped (one run per slot), and then the scheduler's next minute does the work.
 */
async function until(read: () => Promise<Reply>, done: (reply: Reply) => boolean, what: string): Promise<Reply> {
  const deadline = Date.now() + 150_000;
  for (;;) {
    const reply = await read();
    if (done(reply)) return reply;
    if (Date.now() > deadline) throw new Error(`${what} did not happen; last answer ${JSON.stringify(reply)}\n${host.output().slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Upload as a client does: the URL and a PUT of the bytes with the headers given; the host does the rest. */
async function upload(token: string, bytes: Uint8Array, contentType: string): Promise<string> {
  const created = await call(token, 'POST', 'api/voice/uploads', { content_type: contentType, size: bytes.length });
  expect(created.status).toBe(201);
  const put = await fetch(created.body.upload_url as string, { method: 'PUT', headers: created.body.upload_headers as Record<string, string>, body: bytes });
  if (put.status !== 201) throw new Error(`PUT ${created.body.upload_url as string} answered ${put.status}: ${await put.text()}`);
  await put.arrayBuffer();
  return created.body.sample_id as string;
}

let receiver: Awaited<ReturnType<typeof startReceiver>>;
const alice = { token: '' };
const bob = { token: '' };
const made = { sampleId: '', voiceId: '', synthesisId: '' };

beforeAll(async () => {
  receiver = await startReceiver();
  host = await startLocalHost({
    dataDir,
    env: {
      VOICE_OFFLINE_TRAINING_TICKS: '1', RATE_LIMITING_ENABLED: 'false', LOCAL_BLOB_SCAN_INTERVAL_MS: '500',
      VOICE_WEBHOOKS_ALLOW_LOOPBACK: 'true', VOICE_WEBHOOK_SECRETS: NEW_SECRET,
    },
  });
  alice.token = await signUp('alice@example.com');
  bob.token = await signUp('bob@example.com');
}, 300_000);

afterAll(async () => {
  await stopLocalHost(host, dataDir);
  await receiver?.close();
}, 60_000);

describe('the voice journey on the local host', () => {
  it('turns a WAV PUT to its upload URL into a ready sample, and a text file into a rejected one', async () => {
    made.sampleId = await upload(alice.token, await tone({ seconds: 4, channels: 2 }), 'audio/wav');
    const ready = await until(() => call(alice.token, 'GET', `api/voice/samples/${made.sampleId}`), (reply) => reply.body.status === 'ready', 'the sample becoming ready');
    expect(ready.body).toMatchObject({ original: { format: 'wav', channels: 2 } });
    const textId = await upload(alice.token, new TextEncoder().encode('only words, no sound\n'.repeat(10)), 'audio/wav');
    const rejected = await until(() => call(alice.token, 'GET', `api/voice/samples/${textId}`), (reply) => reply.body.status === 'rejected', 'the text being rejected');
    expect(rejected.body.rejection).toMatchObject({ code: 'not_audio' });
    expect((await call(bob.token, 'GET', `api/voice/samples/${made.sampleId}`)).status).toBe(404);
  }, 120_000);

  it('enrolls, trains through the host\'s worker and the monitor, the voice is ready, and the signed voice.ready reaches the user\'s receiver', async () => {
    const registered = await call(alice.token, 'POST', 'api/voice/webhooks', { url: receiver.loopbackUrl('/alice'), events: ['voice.ready'] });
    expect(registered.status).toBe(201);
    const enrolled = await call(alice.token, 'POST', 'api/voice-enrollment', { display_name: 'Alice', sample_ids: [made.sampleId], consent });
    expect(enrolled).toMatchObject({ status: 202, body: { status: 'queued' } });
    made.voiceId = enrolled.body.voice_id as string;
    await until(() => call(alice.token, 'GET', `api/voice/voices/${made.voiceId}`), (reply) => reply.body.status === 'training', 'the training starting');
    expect((await call(undefined, 'POST', 'admin/functions/voice-training-monitor', {})).status).toBe(202);
    await until(() => call(alice.token, 'GET', `api/voice/voices/${made.voiceId}`), (reply) => reply.body.status === 'ready', 'the voice becoming ready');
    expect((await call(bob.token, 'GET', `api/voice/voices/${made.voiceId}`)).status).toBe(404);

    // The notifications timer (fired now rather than at its minute) hands the event to the delivery job.
    expect((await call(undefined, 'POST', 'admin/functions/voice-notifications', {})).status).toBe(202);
    await until(async () => ({ status: receiver.to('/alice').length, body: {} }), (reply) => reply.status > 0, 'the voice.ready delivery');
    const [delivered] = receiver.to('/alice');
    expect(delivered!.json).toMatchObject({ type: 'voice.ready', data: { voice_id: made.voiceId, status: 'ready' } });
    const { id, timestamp, signatures } = delivered!.webhook;
    expect(signatures).toContain(signWebhook(registered.body.secret as string, id, timestamp, delivered!.body).slice(3));
  }, 300_000);

  it('synthesizes, and the audio fetched back by its read URL is valid and lasts more than half a second', async () => {
    const submitted = await call(alice.token, 'POST', 'api/synthesis', { voice_id: made.voiceId, text: 'Hello from the local host, in a cloned voice.', format: 'mp3' });
    expect(submitted.status).toBe(202);
    made.synthesisId = submitted.body.synthesis_id as string;
    const done = await until(() => call(alice.token, 'GET', `api/synthesis/${made.synthesisId}`), (reply) => reply.body.status === 'succeeded', 'the synthesis');
    const response = await fetch(done.body.audio_url as string);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('audio/mpeg');
    const info = await createAudioProcessor().inspect(new Uint8Array(await response.arrayBuffer()));
    expect(info?.codec).toBe('mp3');
    expect(info!.durationSeconds).toBeGreaterThan(0.5);
    expect((await call(bob.token, 'GET', `api/synthesis/${made.synthesisId}`)).status).toBe(404);
  }, 120_000);

  it('runs a batch of five with one bad item: four succeed, the bad one fails alone', async () => {
    const items = [1, 2, 3, 4].map((n) => ({ voice_id: made.voiceId, text: `Item number ${n}.`, format: 'wav' }));
    items.splice(2, 0, { voice_id: 'no-such-voice', text: 'This one cannot run.', format: 'wav' });
    const submitted = await call(alice.token, 'POST', 'api/synthesis/batch', { items });
    expect(submitted.status).toBe(202);
    const batch = await until(() => call(alice.token, 'GET', `api/synthesis/batch/${submitted.body.batch_id as string}`), (reply) => reply.body.status === 'completed', 'the batch completing');
    expect(batch.body.counts).toMatchObject({ succeeded: 4, failed: 1 });
    expect(batch.body.items[2]).toMatchObject({ status: 'failed', failure: { code: 'not_found' } });
    expect((await call(bob.token, 'GET', `api/synthesis/batch/${submitted.body.batch_id as string}`)).status).toBe(404);
  }, 120_000);

  it('takes a provider\'s signed callback once: a replay of the same webhook-id is the duplicate answer and changes nothing', async () => {
    const sampleId = await upload(alice.token, await tone({ seconds: 4 }), 'audio/wav');
    await until(() => call(alice.token, 'GET', `api/voice/samples/${sampleId}`), (reply) => reply.body.status === 'ready', 'the second sample');
    const voiceId = (await call(alice.token, 'POST', 'api/voice-enrollment', { display_name: 'Second', sample_ids: [sampleId], consent })).body.voice_id as string;
    await until(() => call(alice.token, 'GET', `api/voice/voices/${voiceId}`), (reply) => reply.body.status !== 'queued', 'the second training starting');
    // The provider's id of the voice is not shown to clients; the provider knows it, and the test reads it from the store.
    const stored = await new CosmosDocumentStore({ endpoint: cosmosEndpointOf(host.line), key: EMULATOR_KEY, database: 'portico' }).repository<VoiceDoc>(voicesContainer).get(voiceId, voiceId);
    const body = JSON.stringify({ type: 'voice.training.failed', data: { provider_voice_id: stored!.providerVoiceId, reason: 'consent audio did not match' } });
    const timestamp = Math.floor(Date.now() / 1000);
    const deliver = () =>
      fetch(`${host.url}/api/webhooks/offline`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'webhook-id': 'msg_journey_1', 'webhook-timestamp': String(timestamp), 'webhook-signature': signWebhook(NEW_SECRET, 'msg_journey_1', timestamp, body) },
        body,
      }).then(async (response) => ({ status: response.status, body: (await response.json()) as Json }));
    const first = await deliver();
    expect(first.status).toBe(200);
    // The host's own monitor may settle the voice first (its minute can fall in between): then the callback is acknowledged.
    const after = await call(alice.token, 'GET', `api/voice/voices/${voiceId}`);
    expect(first.body.status === 'applied' ? after.body.status === 'failed' : first.body.status === 'acknowledged' && after.body.status === 'ready').toBe(true);
    expect(await deliver()).toEqual({ status: 200, body: { status: 'duplicate' } });
    expect((await call(alice.token, 'GET', `api/voice/voices/${voiceId}`)).body).toEqual(after.body);
  }, 300_000);
});

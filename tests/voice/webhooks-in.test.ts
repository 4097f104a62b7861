/**
 * POST /api/webhooks/{source}: provider callbacks through the composition root and the real
 * webhook middleware (Standard Webhooks signatures, each webhook-id handled once), on memory
 * ports with a provider whose trainings never end by themselves, so only the callback moves them.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { VoiceProvider } from '../../domain/voice/provider.ts';
import type { Env } from '../../kernel/env.ts';
import type { HttpLambda } from '../../kernel/functions.ts';
import { notificationsContainer, voicesContainer, type NotificationDoc, type VoiceDoc } from '../../handlers/voice/store.ts';
import { lambdaContext } from '../support/platform.ts';
import { delivery, NEW_SECRET, OLD_SECRET, OTHER_SECRET } from '../webhooks/support.ts';
import { setup } from './support/app.ts';
import { tone } from './support/audio.ts';

let wav: Uint8Array;
beforeAll(async () => {
  wav = await tone({ seconds: 4 });
}, 60_000);

const consent = { statement: 'I am the speaker and I consent to a synthetic copy of my voice.', accepted_at: '2026-11-22T09:00:00Z' };
const SECRETS: Env = { VOICE_WEBHOOK_SECRETS: `${OLD_SECRET}, ${NEW_SECRET}` };

/** A provider whose trainings stay `training` until a callback says otherwise. */
function slowProvider(): VoiceProvider {
  let next = 0;
  return {
    name: 'offline',
    createVoice: async () => ({ providerVoiceId: `pv-${++next}` }),
    trainingStatus: async () => ({ status: 'training' }),
    deleteVoice: async () => undefined,
    synthesize: async () => ({ bytes: new Uint8Array(), contentType: 'audio/wav', durationSeconds: 0 }),
  };
}

function webhookApp(env: Env = SECRETS) {
  const t = setup({ env, ports: { voiceProvider: () => slowProvider() } });
  let ids = 0;
  /** A signed delivery to /api/webhooks/{source}, timestamped by the app's clock. */
  async function deliver(source: string, body: unknown, options: { id?: string; secrets?: string[] } = {}): Promise<{ statusCode: number; json: Record<string, unknown> }> {
    const handler = await t.handler<HttpLambda>('voice-provider-webhook');
    const event = delivery({ id: options.id ?? `msg_${++ids}`, timestamp: Math.floor(t.clock.now().getTime() / 1000), body: JSON.stringify(body), ...(options.secrets ? { secrets: options.secrets } : {}) });
    const path = `/api/webhooks/${source}`;
    const result = (await handler({ ...event, rawPath: path, routeKey: 'POST /api/webhooks/{source}', pathParameters: { source } }, lambdaContext('voice-provider-webhook'))) as APIGatewayProxyStructuredResultV2;
    return { statusCode: result.statusCode ?? 200, json: JSON.parse(result.body ?? '{}') as Record<string, unknown> };
  }
  /** A voice of alice's in training; answers its id and its provider voice id. */
  async function trainingVoice(): Promise<{ id: string; providerVoiceId: string }> {
    const sample = (await t.uploadSample('alice', wav)).json!.sample_id as string;
    const id = (await t.request('alice', 'voice-enrollment', { body: { display_name: 'Mine', sample_ids: [sample], consent } })).json!.voice_id as string;
    await t.drainEnrollments();
    const voice = (await t.request('alice', 'voice-voices-get', { params: { id } })).json!;
    expect(voice.status).toBe('training');
    // The provider voice id is not in the client's view; the store has it.
    const stored = await t.ports.documents.repository<VoiceDoc>(voicesContainer).get(id, id);
    return { id, providerVoiceId: stored!.providerVoiceId! };
  }
  const voice = async (id: string) => (await t.request('alice', 'voice-voices-get', { params: { id } })).json!;
  return { ...t, deliver, trainingVoice, voice };
}

const succeeded = (providerVoiceId: string) => ({ type: 'voice.training.succeeded', data: { provider_voice_id: providerVoiceId } });
const failed = (providerVoiceId: string) => ({ type: 'voice.training.failed', data: { provider_voice_id: providerVoiceId, reason: 'speaker overlap in sample 2' } });

describe('provider webhooks', () => {
  it('a signed training.succeeded makes the voice ready, as the monitor would', async () => {
    const t = webhookApp();
    const { id, providerVoiceId } = await t.trainingVoice();
    expect(await t.deliver('offline', succeeded(providerVoiceId))).toEqual({ statusCode: 200, json: { status: 'applied' } });
    expect(await t.voice(id)).toMatchObject({ status: 'ready', ready_at: t.clock.now().toISOString() });
    // The owner hears it as from the monitor: one voice.ready notification, pending delivery.
    const notifications = await t.ports.documents.repository<NotificationDoc>(notificationsContainer).query({ limit: 10 });
    expect(notifications.items).toEqual([expect.objectContaining({ id: `voice.ready:${id}`, event: 'voice.ready', status: 'pending' })]);
  }, 30_000);

  it('a training.failed fails the voice with training_failed, the provider\'s words kept out of it', async () => {
    const t = webhookApp();
    const { id, providerVoiceId } = await t.trainingVoice();
    expect((await t.deliver('offline', failed(providerVoiceId))).json).toEqual({ status: 'applied' });
    const voice = await t.voice(id);
    expect(voice).toMatchObject({ status: 'failed', failure: { code: 'training_failed', reason: 'The voice provider could not train this voice.' } });
    expect(JSON.stringify(voice)).not.toContain('speaker overlap');
  }, 30_000);

  it('refuses a bad signature with 401 and changes nothing', async () => {
    const t = webhookApp();
    const { id, providerVoiceId } = await t.trainingVoice();
    const reply = await t.deliver('offline', succeeded(providerVoiceId), { secrets: [OTHER_SECRET] });
    expect(reply.statusCode).toBe(401);
    expect((await t.voice(id)).status).toBe('training');
  }, 30_000);

  it('handles a replayed webhook-id once: the second delivery is the duplicate answer and changes nothing', async () => {
    const t = webhookApp();
    const { id, providerVoiceId } = await t.trainingVoice();
    expect((await t.deliver('offline', failed(providerVoiceId), { id: 'msg_same' })).json).toEqual({ status: 'applied' });
    const after = await t.voice(id);
    t.clock.advance(1000);
    expect(await t.deliver('offline', failed(providerVoiceId), { id: 'msg_same' })).toEqual({ statusCode: 200, json: { status: 'duplicate' } });
    expect(await t.voice(id)).toEqual(after);
  }, 30_000);

  it('answers 404 unknown_source for a provider it does not know', async () => {
    const t = webhookApp();
    const reply = await t.deliver('elevenlabs', succeeded('pv-1'));
    expect(reply.statusCode).toBe(404);
    expect(reply.json).toMatchObject({ code: 'unknown_source' });
  });

  it('acknowledges a voice it does not find, or one no longer training, without a change', async () => {
    const t = webhookApp();
    expect(await t.deliver('offline', succeeded('pv-nobody'))).toEqual({ statusCode: 200, json: { status: 'acknowledged' } });
    const { id, providerVoiceId } = await t.trainingVoice();
    // Another provider's voice with the same id is not this one.
    expect((await t.deliver('openai', succeeded(providerVoiceId))).json).toEqual({ status: 'acknowledged' });
    expect((await t.voice(id)).status).toBe('training');
    await t.deliver('offline', succeeded(providerVoiceId));
    const ready = await t.voice(id);
    // Already ready: a late failure changes nothing.
    expect(await t.deliver('offline', failed(providerVoiceId))).toEqual({ statusCode: 200, json: { status: 'acknowledged' } });
    expect(await t.voice(id)).toEqual(ready);
  }, 30_000);

  it('acknowledges an event type it does not handle with 202, and refuses a training event without its voice', async () => {
    const t = webhookApp();
    expect(await t.deliver('offline', { type: 'voice.usage.reported', data: { characters: 12 } })).toEqual({ statusCode: 202, json: { status: 'ignored' } });
    const reply = await t.deliver('offline', { type: 'voice.training.succeeded', data: {} });
    expect(reply.statusCode).toBe(400);
    expect(reply.json).toMatchObject({ code: 'validation_failed' });
  });

  it('without VOICE_WEBHOOK_SECRETS the app still validates and the route answers 503 not_configured', async () => {
    const t = webhookApp({});
    expect(() => t.app.validate()).not.toThrow();
    const reply = await t.deliver('offline', succeeded('pv-1'));
    expect(reply.statusCode).toBe(503);
    expect(reply.json).toMatchObject({ code: 'not_configured' });
    // Other routes are unaffected.
    expect((await t.request('alice', 'voice-voices-list')).statusCode).toBe(200);
  });

  it('refuses a malformed VOICE_WEBHOOK_SECRETS at start-up, without echoing it', () => {
    const t = webhookApp({ VOICE_WEBHOOK_SECRETS: 'whsec_short' });
    expect(() => t.app.validate()).toThrow(/VOICE_WEBHOOK_SECRETS/);
    expect(() => t.app.validate()).not.toThrow(/whsec_short/);
  });
});

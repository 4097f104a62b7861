/**
 * The notifications and their timer, through the composition root on memory ports with the
 * controllable clock, delivering to a receiver on 127.0.0.1: a synthesis with `notify_at` is
 * told only once the clock passes it, and exactly once however often the timer fires; two
 * firings at once deliver once; a notification nobody subscribes to is marked sent and kept for
 * the retention; an event recorded twice is one notification; a batch completes with one event;
 * a refused enrollment records voice.failed.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createAudioProcessor } from '../../adapters/voice/audio.ts';
import { OfflineVoiceProvider } from '../../adapters/voice/offline.ts';
import { VoiceProviderError, type VoiceProvider } from '../../domain/voice/provider.ts';
import { recordEvent } from '../../handlers/voice/events.ts';
import voice from '../../handlers/voice/index.ts';
import { notificationsContainer, webhooksContainer, type NotificationDoc } from '../../handlers/voice/store.ts';
import { setup, testConsent as consent } from './support/app.ts';
import { tone } from './support/audio.ts';
import { startReceiver } from './support/receiver.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let wav: Uint8Array;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  wav = await tone({ seconds: 4 });
  receiver = await startReceiver();
}, 60_000);
afterAll(() => receiver.close());

const app = () => setup({ ports: { safeHttp: receiver.safeHttp } });
const notifications = (t: ReturnType<typeof setup>) => t.ports.documents.repository<NotificationDoc>(notificationsContainer);

describe('scheduled notifications', () => {
  it('delivers synthesis.succeeded with a future notify_at only once the clock passes it, then exactly once however often the timer fires', async () => {
    receiver.answer(204);
    const t = app();
    await t.request('alice', 'voice-webhooks-create', { body: { url: receiver.url('/later'), events: ['synthesis.succeeded'] } });
    const voiceId = await t.readyVoice('alice', wav);
    const notifyAt = new Date(t.clock.now().getTime() + HOUR).toISOString();
    const reply = await t.request('alice', 'voice-synthesis', { body: { voice_id: voiceId, text: 'Your audio is ready.', format: 'wav', notify_at: notifyAt } });
    expect(reply.statusCode).toBe(202);
    await t.drainSyntheses();
    expect((await t.request('alice', 'voice-synthesis-get', { params: { id: reply.json!.synthesis_id } })).json!.status).toBe('succeeded');

    const submitted = t.clock.now().getTime();
    for (const minutes of [1, 30, 59]) {
      t.clock.set(submitted + minutes * 60_000);
      await t.notify();
      expect(receiver.to('/later')).toEqual([]);
    }
    t.clock.set(Date.parse(notifyAt) + 60_000);
    await t.notify();
    // The same slot again (a second host), then the next minutes.
    await t.notify();
    for (let minute = 0; minute < 3; minute++) {
      t.clock.advance(60_000);
      await t.notify();
    }
    const deliveries = receiver.to('/later');
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]!.json).toMatchObject({ type: 'synthesis.succeeded', data: { synthesis_id: reply.json!.synthesis_id, voice_id: voiceId, status: 'succeeded', format: 'wav', content_type: 'audio/wav' } });
    // A read URL would have expired by a late delivery: the receiver reads a fresh one.
    expect(deliveries[0]!.json.data).not.toHaveProperty('audio_url');
  }, 60_000);

  it('refuses a notify_at in the past or more than 30 days ahead (400 invalid_notify_at)', async () => {
    const t = app();
    const voiceId = await t.readyVoice('alice', wav);
    const at = (offset: number) => new Date(t.clock.now().getTime() + offset).toISOString();
    for (const notifyAt of [at(-60_000), at(31 * DAY)]) {
      expect((await t.request('alice', 'voice-synthesis', { body: { voice_id: voiceId, text: 'Hi.', notify_at: notifyAt } })).json).toMatchObject({ status: 400, code: 'invalid_notify_at' });
    }
    expect((await t.request('alice', 'voice-synthesis', { body: { voice_id: voiceId, text: 'Hi.', notify_at: 'tomorrow' } })).json).toMatchObject({ status: 400, code: 'validation_failed' });
  }, 60_000);

  it('delivers once when two firings of the timer (two hosts, two slots) run at the same time', async () => {
    receiver.answer(204);
    const t = app();
    await t.request('alice', 'voice-webhooks-create', { body: { url: receiver.url('/concurrent'), events: ['voice.ready'] } });
    await t.readyVoice('alice', wav);
    const handler = await t.handler<(event: unknown, context: unknown) => Promise<void>>('voice-notifications');
    const now = t.clock.now().getTime();
    // Two slots (a late firing of the last minute beside this minute's) both find the notification pending.
    const firing = (time: number) => handler({ time: new Date(time).toISOString(), detail: {} }, { awsRequestId: `r-${time}` });
    await Promise.all([firing(now), firing(now - 60_000), firing(now)]);
    await t.drainWebhooks();
    expect(receiver.to('/concurrent')).toHaveLength(1);
    // The second slot's run read it pending too, and lost the claim to the first (the third firing repeated a slot).
    const runs = t.records().filter((record) => record.msg === 'notifications run');
    expect(runs.map(({ sent, skipped, errors }) => ({ sent, skipped, errors })).sort((a, b) => Number(b.sent) - Number(a.sent))).toEqual([
      { sent: 1, skipped: 0, errors: 0 },
      { sent: 0, skipped: 1, errors: 0 },
    ]);
    expect((await notifications(t).query({ limit: 10 })).items).toMatchObject([{ event: 'voice.ready', status: 'sent', deliveries: 1 }]);
  }, 60_000);

  it('marks a notification nobody subscribes to as sent, keeps it for the retention, and records an event twice as one notification', async () => {
    const t = app();
    const deps = t.app.depsOf('voice') as unknown as Parameters<typeof recordEvent>[0];
    await recordEvent(deps, 'alice', 'voice.failed', 'v-1', { voice_id: 'v-1' });
    await recordEvent(deps, 'alice', 'voice.failed', 'v-1', { voice_id: 'v-1', again: true });
    const [pending, ...others] = (await notifications(t).query({ limit: 10 })).items;
    expect(others).toEqual([]);
    expect(pending).toMatchObject({ id: 'voice.failed:v-1', owner: 'alice', status: 'pending', data: { voice_id: 'v-1' } });
    expect(pending!.id).not.toMatch(/[/\\?#]/);

    await t.notify();
    const sent = await notifications(t).get('voice.failed:v-1', 'voice.failed:v-1');
    expect(sent).toMatchObject({ status: 'sent', deliveries: 0, sentAt: t.clock.now().toISOString() });
    expect(sent!.expiresAt).toBe(t.clock.now().getTime() + 7 * DAY);
    t.clock.advance(7 * DAY);
    expect(await notifications(t).get('voice.failed:v-1', 'voice.failed:v-1')).toBeUndefined();
  });

  it('tells a batch\'s completion once, with its counts, after each item\'s own event', async () => {
    receiver.answer(204);
    const t = app();
    await t.request('alice', 'voice-webhooks-create', { body: { url: receiver.url('/batch'), events: ['batch.completed', 'synthesis.succeeded', 'synthesis.failed'] } });
    const voiceId = await t.readyVoice('alice', wav);
    const reply = await t.request('alice', 'voice-synthesis-batch', { body: { items: [{ voice_id: voiceId, text: 'One.', format: 'wav' }, { voice_id: 'not-mine', text: 'Two.' }, { voice_id: voiceId, text: 'Three.', format: 'wav' }] } });
    expect(reply.statusCode).toBe(202);
    await t.drainSyntheses();
    await t.notify();
    const types = receiver.to('/batch').map((delivery) => delivery.json.type).sort();
    // The item that could not run was answered in the 202: only the two that ran are told.
    expect(types).toEqual(['batch.completed', 'synthesis.succeeded', 'synthesis.succeeded']);
    const completed = receiver.to('/batch').find((delivery) => delivery.json.type === 'batch.completed')!;
    expect(completed.json.data).toEqual({ batch_id: reply.json!.batch_id, status: 'completed', counts: { succeeded: 2, failed: 1 } });
  }, 60_000);

  it('records voice.failed, without the provider\'s words, when the provider refuses an enrollment (the enroll job)', async () => {
    const offline = new OfflineVoiceProvider({ trainingTicks: 1, audio: createAudioProcessor() });
    const refusing: VoiceProvider = {
      name: 'offline',
      createVoice: async () => {
        throw new VoiceProviderError('rejected', 'several speakers');
      },
      trainingStatus: (id) => offline.trainingStatus(id),
      deleteVoice: (id) => offline.deleteVoice(id),
      synthesize: (request) => offline.synthesize(request),
    };
    const t = setup({ ports: { safeHttp: receiver.safeHttp, voiceProvider: () => refusing } });
    const sample = await t.uploadSample('alice', wav);
    const voiceId = (await t.request('alice', 'voice-enrollment', { body: { display_name: 'V', sample_ids: [sample.json!.sample_id], consent } })).json!.voice_id as string;
    await t.drainEnrollments();
    const id = `voice.failed:${voiceId}`;
    expect(await notifications(t).get(id, id)).toMatchObject({ owner: 'alice', status: 'pending', data: { voice_id: voiceId, status: 'failed', failure: { code: 'provider_rejected' } } });
    expect(JSON.stringify(await notifications(t).get(id, id))).not.toContain('several speakers');
  }, 60_000);

  it('erases a user\'s registrations and notifications with the rest of their voice data', () => {
    const erased = voice.erase!.documents!.map(({ container, userField }) => [container.name, userField]);
    expect(erased).toEqual(expect.arrayContaining([[webhooksContainer.name, 'owner'], [notificationsContainer.name, 'owner']]));
  });
});

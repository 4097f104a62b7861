/**
 * Synthesis and batches through the composition root on memory ports, with the real offline
 * provider (eSpeak-NG) and ffmpeg: the audio stored is valid and lasts what it says; short and
 * long texts take their own queues; a batch of five with one bad item completes the other four;
 * a provider refusing one text fails that item alone; another user's synthesis is 404.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { createAudioProcessor } from '../../adapters/voice/audio.ts';
import { OfflineVoiceProvider } from '../../adapters/voice/offline.ts';
import { VoiceProviderError, type VoiceProvider } from '../../domain/voice/provider.ts';
import { synthesesContainer, type SynthesisDoc } from '../../handlers/voice/store.ts';
import { deadLettersContainer } from '../../jobs/containers.ts';
import { setup, testConsent as consent } from './support/app.ts';
import { tone } from './support/audio.ts';

const audio = createAudioProcessor();
let wav: Uint8Array;
beforeAll(async () => {
  wav = await tone({ seconds: 4 });
}, 60_000);

/** The real offline provider, its synthesis replaced by `synthesize` (which may call the real one). */
function offlineWith(synthesize: (request: Parameters<VoiceProvider['synthesize']>[0], offline: OfflineVoiceProvider) => ReturnType<VoiceProvider['synthesize']>): VoiceProvider {
  const offline = new OfflineVoiceProvider({ trainingTicks: 1, audio });
  return {
    name: 'offline',
    createVoice: (request) => offline.createVoice(request),
    trainingStatus: (id) => offline.trainingStatus(id),
    deleteVoice: (id) => offline.deleteVoice(id),
    synthesize: (request) => synthesize(request, offline),
  };
}

async function storedAudio(t: ReturnType<typeof setup>, id: string) {
  const doc = (await t.ports.documents.repository<SynthesisDoc>(synthesesContainer).get(id, id))!;
  return (await t.ports.blobs.get('voice-synthesis', doc.audio!.blobName))!;
}

describe('synthesis', () => {
  it('speaks with a ready voice: 202, the short queue, then a read URL and audio that lasts what it says', async () => {
    const t = setup();
    const voiceId = await t.readyVoice('alice', wav);
    const reply = await t.request('alice', 'voice-synthesis', { body: { voice_id: voiceId, text: 'Hello, this is my synthetic voice speaking.', format: 'wav' } });
    expect(reply.statusCode).toBe(202);
    const id = reply.json!.synthesis_id as string;
    expect((await t.request('alice', 'voice-synthesis-get', { params: { id } })).json).toMatchObject({ status: 'queued', queue: 'short' });
    expect(await t.drainSyntheses()).toEqual({ short: 1, long: 0 });
    const done = (await t.request('alice', 'voice-synthesis-get', { params: { id } })).json!;
    expect(done).toMatchObject({ status: 'succeeded', format: 'wav', content_type: 'audio/wav' });
    expect(decodeURIComponent(done.audio_url)).toContain(`voice-synthesis/alice/${id}.wav`);
    expect(Date.parse(new URL(done.audio_url).searchParams.get('expires')!) - t.clock.now().getTime()).toBe(3_600_000);
    const info = await audio.inspect((await storedAudio(t, id)).bytes);
    expect(info!.durationSeconds).toBeGreaterThan(0.5);
    expect(Math.abs(info!.durationSeconds - done.duration_seconds)).toBeLessThan(0.05);
    expect((await t.request('bob', 'voice-synthesis-get', { params: { id } })).statusCode).toBe(404);
  }, 60_000);

  it('sends a text past VOICE_SHORT_TEXT_MAX_CHARS to the long queue, and refuses one past VOICE_TEXT_MAX_CHARS', async () => {
    const t = setup({ env: { VOICE_SHORT_TEXT_MAX_CHARS: '20', VOICE_TEXT_MAX_CHARS: '200' } });
    const voiceId = await t.readyVoice('alice', wav);
    const long = await t.request('alice', 'voice-synthesis', { body: { voice_id: voiceId, text: 'This sentence is longer than twenty characters.', format: 'mp3' } });
    expect(await t.drainSyntheses()).toEqual({ short: 0, long: 1 });
    const done = (await t.request('alice', 'voice-synthesis-get', { params: { id: long.json!.synthesis_id } })).json!;
    expect(done).toMatchObject({ status: 'succeeded', queue: 'long', content_type: 'audio/mpeg' });
    expect((await audio.inspect((await storedAudio(t, done.synthesis_id)).bytes))?.codec).toBe('mp3');
    const tooLong = await t.request('alice', 'voice-synthesis', { body: { voice_id: voiceId, text: 'x'.repeat(201) } });
    expect(tooLong.json).toMatchObject({ status: 400, code: 'text_too_long' });
  }, 60_000);

  it('refuses a voice that is not ready (409) or not yours (404)', async () => {
    const t = setup();
    const voiceId = await t.readyVoice('alice', wav);
    expect((await t.request('bob', 'voice-synthesis', { body: { voice_id: voiceId, text: 'hi' } })).json).toMatchObject({ status: 404, code: 'not_found' });
    const sample = await t.uploadSample('alice', wav);
    const training = (await t.request('alice', 'voice-enrollment', { body: { display_name: 'W', sample_ids: [sample.json!.sample_id], consent } })).json!.voice_id;
    expect((await t.request('alice', 'voice-synthesis', { body: { voice_id: training, text: 'hi' } })).json).toMatchObject({ status: 409, code: 'voice_not_ready' });
  }, 60_000);
});

describe('batches', () => {
  it('runs a batch of five with one bad item: the four others succeed, the bad one fails alone', async () => {
    const t = setup();
    const mine = await t.readyVoice('alice', wav);
    const theirs = await t.readyVoice('bob', wav);
    const items = ['One.', 'Two.', 'Three.', 'Four.'].map((text) => ({ voice_id: mine, text, format: 'wav' }));
    const reply = await t.request('alice', 'voice-synthesis-batch', { body: { items: [...items.slice(0, 2), { voice_id: theirs, text: 'Not my voice.' }, ...items.slice(2)] } });
    expect(reply.statusCode).toBe(202);
    expect(reply.json!.items.map((item: { status: string }) => item.status)).toEqual(['queued', 'queued', 'failed', 'queued', 'queued']);
    expect(reply.json!.items[2].failure).toMatchObject({ code: 'not_found' });
    const id = reply.json!.batch_id as string;
    expect((await t.request('alice', 'voice-synthesis-batch-get', { params: { id } })).json).toMatchObject({ status: 'running', counts: { queued: 4, failed: 1 } });
    await t.drainSyntheses();
    const batch = (await t.request('alice', 'voice-synthesis-batch-get', { params: { id } })).json!;
    expect(batch).toMatchObject({ status: 'completed', counts: { succeeded: 4, failed: 1, queued: 0, running: 0 } });
    expect(batch.items.map((item: { status: string }) => item.status)).toEqual(['succeeded', 'succeeded', 'failed', 'succeeded', 'succeeded']);
    expect((await t.request('bob', 'voice-synthesis-batch-get', { params: { id } })).statusCode).toBe(404);
  }, 120_000);

  it('fails only the item the provider refuses, dead-lettering its job with the reason', async () => {
    const provider = offlineWith(async (request, offline) => {
      if (request.text.includes('forbidden')) throw new VoiceProviderError('rejected', 'content policy');
      return offline.synthesize(request);
    });
    const t = setup({ ports: { voiceProvider: () => provider } });
    const voiceId = await t.readyVoice('alice', wav);
    const texts = ['Fine one.', 'A forbidden one.', 'Fine two.'];
    const reply = await t.request('alice', 'voice-synthesis-batch', { body: { items: texts.map((text) => ({ voice_id: voiceId, text, format: 'wav' })) } });
    await t.drainSyntheses();
    const batch = (await t.request('alice', 'voice-synthesis-batch-get', { params: { id: reply.json!.batch_id } })).json!;
    expect(batch.items.map((item: { status: string }) => item.status)).toEqual(['succeeded', 'failed', 'succeeded']);
    expect(batch.items[1].failure).toMatchObject({ code: 'provider_rejected' });
    expect(JSON.stringify(batch)).not.toContain('content policy');
    const letters = await t.ports.documents.repository(deadLettersContainer).query({ limit: 10 });
    expect(letters.items).toHaveLength(1);
    expect(JSON.stringify(letters.items[0])).toContain('content policy');
  }, 120_000);

  it('retries a provider failing then recovering; one failing on every attempt fails the synthesis and is dead-lettered with the reason', async () => {
    let outages = 1;
    const flaky = offlineWith(async (request, offline) => {
      if (request.text.includes('always') || outages-- > 0) throw new VoiceProviderError('unavailable', 'upstream 503 from the speech region');
      return offline.synthesize(request);
    });
    const t = setup({ ports: { voiceProvider: () => flaky }, env: { VOICE_SYNTHESIS_JOB_MAX_RETRIES: '2' } });
    const voiceId = await t.readyVoice('alice', wav);
    const recovering = (await t.request('alice', 'voice-synthesis', { body: { voice_id: voiceId, text: 'Once more.', format: 'wav' } })).json!.synthesis_id as string;
    await t.drainSyntheses();
    expect((await t.request('alice', 'voice-synthesis-get', { params: { id: recovering } })).json!.status).toBe('queued');
    t.clock.advance(10 * 60_000); // the retry waits for its backoff
    await t.drainSyntheses();
    expect((await t.request('alice', 'voice-synthesis-get', { params: { id: recovering } })).json!.status).toBe('succeeded');

    const doomed = (await t.request('alice', 'voice-synthesis', { body: { voice_id: voiceId, text: 'This always fails.', format: 'wav' } })).json!.synthesis_id as string;
    for (let attempt = 0; attempt < 4; attempt++) {
      await t.drainSyntheses();
      t.clock.advance(10 * 60_000);
    }
    const failed = (await t.request('alice', 'voice-synthesis-get', { params: { id: doomed } })).json!;
    expect(failed).toMatchObject({ status: 'failed', failure: { code: 'synthesis_failed' } });
    expect(JSON.stringify(failed)).not.toContain('speech region');
    const letters = (await t.ports.documents.repository(deadLettersContainer).query({ limit: 10 })).items;
    expect(letters).toHaveLength(1);
    expect(JSON.stringify(letters[0])).toContain('upstream 503 from the speech region');
    expect(JSON.stringify(letters[0])).toContain(doomed);
  }, 120_000);

  it('refuses a batch past VOICE_BATCH_MAX_ITEMS', async () => {
    const t = setup({ env: { VOICE_BATCH_MAX_ITEMS: '2' } });
    const items = [1, 2, 3].map(() => ({ voice_id: 'v', text: 'hi' }));
    expect((await t.request('alice', 'voice-synthesis-batch', { body: { items } })).json).toMatchObject({ status: 400, code: 'too_many_items' });
  });
});

/**
 * The voice provider contract, run over all three providers as a deployment configures them
 * (VOICE_PROVIDER and its variables, through the settings loader and ports.voiceProvider): the
 * offline provider for real, Azure AI Speech and OpenAI against local fakes of their APIs. Each
 * trains (or maps) a voice that becomes ready within a few monitor polls, speaks audio that lasts
 * what it reports, refuses a voice without samples, answers not_found for a voice it never made,
 * and deletes idempotently; and each carries the service's whole journey, enrollment to audio.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createAudioProcessor } from '../../adapters/voice/audio.ts';
import { VoiceProviderError, type VoiceProvider } from '../../domain/voice/provider.ts';
import { loadVoiceProviderSettings } from '../../handlers/voice/settings.ts';
import type { Env } from '../../kernel/env.ts';
import { testApp } from '../support/app.ts';
import { setup } from './support/app.ts';
import { tone } from './support/audio.ts';
import { AZURE_KEY, fakeAzureSpeech, fakeOpenAI, makeTones, OPENAI_KEY } from './support/fake-remote-providers.ts';
import type { FakeServer } from './support/fake-server.ts';

const audio = createAudioProcessor();
const consent = { statement: 'I consent to cloning my voice.', acceptedAt: '2026-01-01T00:00:00.000Z' };
const sample = (seed: number) => ({ bytes: Uint8Array.from({ length: 64 }, (_, index) => (index * seed) % 256), contentType: 'audio/wav' });

let azure: FakeServer;
let openai: FakeServer;
let wav: Uint8Array;

beforeAll(async () => {
  const tones = await makeTones();
  [azure, openai, wav] = await Promise.all([fakeAzureSpeech(tones, { trainingPolls: 2 }), fakeOpenAI(tones), tone({ seconds: 4 })]);
}, 60_000);

afterAll(async () => {
  await Promise.all([azure.close(), openai.close()]);
});

/** Each provider's variables, as a deployment sets them (the fakes' URLs are known only once they listen). */
const PROVIDERS: Record<string, () => Env> = {
  offline: () => ({ VOICE_PROVIDER: 'offline', VOICE_OFFLINE_TRAINING_TICKS: '2' }),
  'azure-speech': () => ({ VOICE_PROVIDER: 'azure-speech', AZURE_SPEECH_KEY: AZURE_KEY, AZURE_SPEECH_ENDPOINT: azure.url, AZURE_SPEECH_COMPANY_NAME: 'Contoso', VOICE_PROVIDER_TIMEOUT_MS: '10000' }),
  openai: () => ({ VOICE_PROVIDER: 'openai', OPENAI_API_KEY: OPENAI_KEY, OPENAI_BASE_URL: `${openai.url}/v1`, OPENAI_TTS_VOICES: 'alloy,nova', VOICE_PROVIDER_TIMEOUT_MS: '10000' }),
};

function providerFor(env: Env): VoiceProvider {
  return testApp({ services: [], env }).ports.voiceProvider(loadVoiceProviderSettings(env));
}

async function reason(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error instanceof VoiceProviderError && !error.transient ? error.reason : String(error);
  }
}

describe.each(Object.keys(PROVIDERS))('the voice provider contract: %s', (name) => {
  it('names itself, trains a voice ready within a few polls, and speaks audio that lasts what it reports', async () => {
    const provider = providerFor(PROVIDERS[name]!());
    expect(provider.name).toBe(name);
    const { providerVoiceId } = await provider.createVoice({ displayName: 'Ada', samples: [sample(3)], consent });
    let polls = 0;
    while ((await provider.trainingStatus(providerVoiceId)).status !== 'ready') expect(++polls).toBeLessThan(5);
    const speech = await provider.synthesize({ providerVoiceId, text: 'Hello from the contract.', format: 'wav' });
    expect(speech.contentType).toBe('audio/wav');
    const info = await audio.inspect(speech.bytes);
    expect(info?.codec).toBe('pcm_s16le');
    expect(Math.abs(info!.durationSeconds - speech.durationSeconds)).toBeLessThan(0.05);
    const mp3 = await provider.synthesize({ providerVoiceId, text: 'Hello again.', format: 'mp3', speed: 1.25 });
    expect(mp3.contentType).toBe('audio/mpeg');
    expect((await audio.inspect(mp3.bytes))?.codec).toBe('mp3');
    expect(mp3.durationSeconds).toBeGreaterThan(0.5);
  }, 60_000);

  it('refuses a voice without samples, answers not_found for a voice it never made, and deletes (twice, or one it never made) without complaint', async () => {
    const provider = providerFor(PROVIDERS[name]!());
    expect(await reason(provider.createVoice({ displayName: 'Ada', samples: [], consent }))).toBe('rejected');
    expect(await reason(provider.trainingStatus('someone-elses-voice'))).toBe('not_found');
    expect(await reason(provider.synthesize({ providerVoiceId: 'someone-elses-voice', text: 'Hi.', format: 'wav' }))).toBe('not_found');
    const { providerVoiceId } = await provider.createVoice({ displayName: 'Ada', samples: [sample(5)], consent });
    await provider.deleteVoice(providerVoiceId);
    await provider.deleteVoice(providerVoiceId);
    await provider.deleteVoice('someone-elses-voice');
  });

  it('carries the service from enrollment to stored audio', async () => {
    const t = setup({ env: PROVIDERS[name]!() });
    const fake = { 'azure-speech': azure, openai }[name];
    const calls = fake?.requests.length ?? 0;
    const uploaded = await t.uploadSample('alice', wav);
    const voiceId = (await t.request('alice', 'voice-enrollment', { body: { display_name: 'Alice', sample_ids: [uploaded.json!.sample_id], consent: { statement: consent.statement, accepted_at: consent.acceptedAt } } })).json!.voice_id as string;
    await t.drainEnrollments();
    await t.tick();
    await t.tick();
    expect((await t.request('alice', 'voice-voices-get', { params: { id: voiceId } })).json).toMatchObject({ status: 'ready' });
    const id = (await t.request('alice', 'voice-synthesis', { body: { voice_id: voiceId, text: 'Stored through the whole service.', format: 'mp3' } })).json!.synthesis_id as string;
    await t.drainSyntheses();
    const done = (await t.request('alice', 'voice-synthesis-get', { params: { id } })).json!;
    expect(done).toMatchObject({ status: 'succeeded', content_type: 'audio/mpeg' });
    expect(done.duration_seconds).toBeGreaterThan(0.5);
    expect((await t.request('alice', 'voice-voices-delete', { params: { id: voiceId } })).statusCode).toBe(204);
    // The remote providers were really asked (the service did not fall back to offline).
    if (fake) expect(fake.requests.length).toBeGreaterThan(calls);
  }, 90_000);
});

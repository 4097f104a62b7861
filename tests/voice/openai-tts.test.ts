/**
 * The OpenAI TTS provider through the real `openai` SDK against a local fake of
 * `POST /v1/audio/speech`: the JSON it sends, the audio it measures, the preset voice an
 * enrollment maps to (OpenAI trains nothing), and how the SDK's errors read in the port's words.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createAudioProcessor } from '../../adapters/voice/audio.ts';
import { OpenAITtsVoiceProvider, type OpenAITtsOptions } from '../../adapters/voice/openai-tts.ts';
import { failure, fakeOpenAI, makeTones, OPENAI_KEY, TONE_SECONDS } from './support/fake-remote-providers.ts';
import { json, type FakeServer } from './support/fake-server.ts';

const audio = createAudioProcessor();
const consent = { statement: 'I consent to cloning my voice.', acceptedAt: '2026-01-01T00:00:00.000Z' };
const sample = (seed: number) => ({ bytes: Uint8Array.from({ length: 64 }, (_, index) => (index * seed) % 256), contentType: 'audio/wav' });

let server: FakeServer;

beforeAll(async () => {
  server = await fakeOpenAI(await makeTones());
}, 60_000);

afterAll(async () => {
  await server.close();
});

function provider(overrides: Partial<OpenAITtsOptions> = {}): OpenAITtsVoiceProvider {
  return new OpenAITtsVoiceProvider({ apiKey: OPENAI_KEY, baseURL: `${server.url}/v1`, model: 'gpt-4o-mini-tts', voices: ['alloy'], timeoutMs: 10_000, audio, ...overrides });
}

const speak = (openai = provider(), format: 'wav' | 'mp3' | 'opus' = 'wav') => openai.synthesize({ providerVoiceId: 'openai:alloy', text: 'Hello.', format });

describe('OpenAITtsVoiceProvider', () => {
  it('maps an enrollment to a configured preset voice, ready at once; the same samples always get the same one', async () => {
    const openai = provider({ voices: ['alloy', 'nova', 'onyx', 'shimmer'] });
    const first = await openai.createVoice({ displayName: 'Me', samples: [sample(3)], consent });
    expect(first.providerVoiceId).toMatch(/^openai:(alloy|nova|onyx|shimmer)$/);
    expect((await openai.createVoice({ displayName: 'Me', samples: [sample(3)], consent })).providerVoiceId).toBe(first.providerVoiceId);
    const picked = new Set<string>();
    for (let seed = 1; seed < 16; seed++) picked.add((await openai.createVoice({ displayName: 'Me', samples: [sample(seed)], consent })).providerVoiceId);
    expect(picked.size).toBeGreaterThan(1);
    expect(await openai.trainingStatus(first.providerVoiceId)).toEqual({ status: 'ready' });
    await openai.deleteVoice(first.providerVoiceId);
    expect((await failure(openai.createVoice({ displayName: 'Me', samples: [], consent }))).reason).toBe('rejected');
    expect((await failure(openai.trainingStatus('offline-p20-x'))).reason).toBe('not_found');
    expect(server.requests).toHaveLength(0); // none of that is a call to OpenAI
  });

  it('posts model, voice, input, format and speed with the key, and measures the WAV it gets', async () => {
    const from = server.requests.length;
    const speech = await provider().synthesize({ providerVoiceId: 'openai:alloy', text: 'Fish & chips.', format: 'wav', speed: 1.25 });
    const request = server.requests[from]!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/v1/audio/speech');
    expect(request.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
    expect(JSON.parse(request.body.toString('utf8'))).toEqual({ model: 'gpt-4o-mini-tts', voice: 'alloy', input: 'Fish & chips.', response_format: 'wav', speed: 1.25 });
    expect(speech.contentType).toBe('audio/wav');
    expect(speech.durationSeconds).toBeCloseTo(TONE_SECONDS, 2);
  });

  it('asks for mp3 and opus and measures them with ffprobe', async () => {
    const mp3 = await speak(provider(), 'mp3');
    const opus = await speak(provider(), 'opus');
    expect(JSON.parse(server.requests.at(-1)!.body.toString()).response_format).toBe('opus');
    expect(mp3.contentType).toBe('audio/mpeg');
    expect(opus.contentType).toBe('audio/ogg; codecs=opus');
    expect(Math.abs(mp3.durationSeconds - TONE_SECONDS)).toBeLessThan(0.1);
    expect(Math.abs(opus.durationSeconds - TONE_SECONDS)).toBeLessThan(0.1);
  }, 60_000);

  it('reads 429 as rate_limited with its Retry-After, and does not retry itself (the job runtime does)', async () => {
    const from = server.requests.length;
    server.queued.push({ status: 429, headers: { 'content-type': 'application/json', 'retry-after': '7' }, body: JSON.stringify({ error: { message: 'Rate limit reached', type: 'requests' } }) });
    const error = await failure(speak());
    expect(error).toMatchObject({ reason: 'rate_limited', retryAfterSeconds: 7 });
    expect(error.transient).toBe(true);
    expect(server.requests.length - from).toBe(1);
  });

  it('reads 500 and a refused connection as unavailable', async () => {
    server.queued.push(json({ error: { message: 'The server had an error' } }, 500));
    const error = await failure(speak());
    expect(error.reason).toBe('unavailable');
    expect(error.transient).toBe(true);
    expect((await failure(speak(provider({ baseURL: 'http://127.0.0.1:1/v1' })))).reason).toBe('unavailable');
  });

  it('reads no answer within the timeout, and an aborted call, as timeout', async () => {
    server.queued.push('hang');
    const error = await failure(speak(provider({ timeoutMs: 200 })));
    expect(error.reason).toBe('timeout');
    expect(error.transient).toBe(true);
    expect((await failure(provider().synthesize({ providerVoiceId: 'openai:alloy', text: 'Hello.', format: 'wav', signal: AbortSignal.abort() }))).reason).toBe('timeout');
  });

  it('reads 404 as not_found and 400 as rejected, neither transient, never quoting the key or the body', async () => {
    server.queued.push(json({ error: { message: 'The model does not exist' } }, 404));
    const missing = await failure(speak());
    expect(missing.reason).toBe('not_found');
    server.queued.push(json({ error: { message: `Invalid voice; key ${OPENAI_KEY}` } }, 400));
    const refused = await failure(speak());
    expect(refused.reason).toBe('rejected');
    for (const error of [missing, refused]) {
      expect(error.transient).toBe(false);
      expect(error.message).not.toContain(OPENAI_KEY);
      expect(error.message).not.toContain('Invalid voice');
    }
    expect((await failure(speak(provider({ apiKey: 'sk-wrong' })))).reason).toBe('rejected');
  });

  it('refuses a text past OpenAI\'s 4096 characters without calling it', async () => {
    const from = server.requests.length;
    expect((await failure(provider().synthesize({ providerVoiceId: 'openai:alloy', text: 'a'.repeat(4097), format: 'wav' }))).reason).toBe('rejected');
    expect(server.requests.length).toBe(from);
  });

  it('takes an answer that is not audio of the format asked for as the provider failing (transient)', async () => {
    server.queued.push({ status: 200, headers: { 'content-type': 'audio/wav' }, body: 'not audio at all' });
    expect((await failure(speak())).reason).toBe('unavailable');
  });
});

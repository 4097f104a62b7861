/**
 * The offline voice provider on the real eSpeak-NG (WebAssembly) and the real ffmpeg: speech that
 * ffprobe reads back as audio of the length the provider claims, a training that completes at
 * the configured poll, voices that differ by their samples, and not_found for unknown or deleted ids.
 */
import { describe, expect, it } from '@jest/globals';
import { createAudioProcessor } from '../../adapters/voice/audio.ts';
import { OfflineVoiceProvider } from '../../adapters/voice/offline.ts';
import { VoiceProviderError } from '../../domain/voice/provider.ts';

const audio = createAudioProcessor();
const sample = (seed: number) => ({ bytes: Uint8Array.from({ length: 64 }, (_, index) => (index * seed) % 256), contentType: 'audio/wav' });
const consent = { statement: 'I consent to cloning my voice.', acceptedAt: '2026-01-01T00:00:00.000Z' };

async function failure(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error instanceof VoiceProviderError ? error.reason : String(error);
  }
}

describe('OfflineVoiceProvider', () => {
  it('speaks the text as a WAV that ffprobe reads, of the duration it reports', async () => {
    const provider = new OfflineVoiceProvider({ trainingTicks: 1, audio });
    const { providerVoiceId } = await provider.createVoice({ displayName: 'Me', samples: [sample(3)], consent });
    const speech = await provider.synthesize({ providerVoiceId, text: 'Hello from the offline voice provider.', format: 'wav' });
    expect(speech.contentType).toBe('audio/wav');
    const info = await audio.inspect(speech.bytes);
    expect(info).toMatchObject({ codec: 'pcm_s16le', channels: 1, sampleRate: 22_050 });
    expect(speech.durationSeconds).toBeGreaterThan(0.5);
    expect(Math.abs(info!.durationSeconds - speech.durationSeconds)).toBeLessThan(0.05);
  }, 60_000);

  it('encodes mp3 and opus with ffmpeg, and a faster speed makes shorter speech', async () => {
    const provider = new OfflineVoiceProvider({ trainingTicks: 1, audio });
    const { providerVoiceId } = await provider.createVoice({ displayName: 'Me', samples: [sample(5)], consent });
    const text = 'One two three four five six seven eight.';
    const mp3 = await provider.synthesize({ providerVoiceId, text, format: 'mp3' });
    const opus = await provider.synthesize({ providerVoiceId, text, format: 'opus' });
    expect(mp3.contentType).toBe('audio/mpeg');
    expect((await audio.inspect(mp3.bytes))?.codec).toBe('mp3');
    expect(opus.contentType).toBe('audio/ogg; codecs=opus');
    expect((await audio.inspect(opus.bytes))?.codec).toBe('opus');
    const fast = await provider.synthesize({ providerVoiceId, text, format: 'wav', speed: 2 });
    expect(fast.durationSeconds).toBeLessThan(mp3.durationSeconds * 0.75);
  }, 60_000);

  it('reads text that looks like an option as text', async () => {
    const provider = new OfflineVoiceProvider({ trainingTicks: 1, audio });
    const { providerVoiceId } = await provider.createVoice({ displayName: 'Me', samples: [sample(7)], consent });
    const speech = await provider.synthesize({ providerVoiceId, text: '--help -w /etc/passwd', format: 'wav' });
    expect(speech.durationSeconds).toBeGreaterThan(0.5);
  }, 60_000);

  it('completes a training at the configured poll, and only then', async () => {
    const provider = new OfflineVoiceProvider({ trainingTicks: 3, audio });
    const { providerVoiceId } = await provider.createVoice({ displayName: 'Me', samples: [sample(3)], consent });
    expect(await provider.trainingStatus(providerVoiceId)).toEqual({ status: 'training' });
    expect(await provider.trainingStatus(providerVoiceId)).toEqual({ status: 'training' });
    expect(await provider.trainingStatus(providerVoiceId)).toEqual({ status: 'ready' });
    expect(await provider.trainingStatus(providerVoiceId)).toEqual({ status: 'ready' });
  });

  it('derives the voice from the samples: the same samples give the same pitch, and ids are unique', async () => {
    const provider = new OfflineVoiceProvider({ trainingTicks: 1, audio });
    const pitch = (id: string) => id.split('-')[1];
    const first = await provider.createVoice({ displayName: 'A', samples: [sample(3)], consent });
    const again = await provider.createVoice({ displayName: 'A', samples: [sample(3)], consent });
    expect(pitch(first.providerVoiceId)).toBe(pitch(again.providerVoiceId));
    expect(first.providerVoiceId).not.toBe(again.providerVoiceId);
    const pitches = new Set<string | undefined>();
    for (let seed = 1; seed < 12; seed++) pitches.add(pitch((await provider.createVoice({ displayName: 'B', samples: [sample(seed)], consent })).providerVoiceId));
    expect(pitches.size).toBeGreaterThan(1);
  });

  it('refuses a voice without samples, and answers not_found for an unknown or deleted voice (deleting twice is fine)', async () => {
    const provider = new OfflineVoiceProvider({ trainingTicks: 1, audio });
    expect(await failure(provider.createVoice({ displayName: 'Me', samples: [], consent }))).toBe('rejected');
    expect(await failure(provider.trainingStatus('someone-elses'))).toBe('not_found');
    const { providerVoiceId } = await provider.createVoice({ displayName: 'Me', samples: [sample(3)], consent });
    await provider.deleteVoice(providerVoiceId);
    await provider.deleteVoice(providerVoiceId);
    expect(await failure(provider.trainingStatus(providerVoiceId))).toBe('not_found');
    expect(await failure(provider.synthesize({ providerVoiceId, text: 'hello', format: 'wav' }))).toBe('not_found');
  });
});

/**
 * Fakes of the two remote voice providers that speak their real formats, for the adapter tests
 * and the provider contract: Azure AI Speech (custom voice API: projects, consents, personal
 * voices that train for `trainingPolls` status reads; neural TTS answering the output format the
 * X-Microsoft-OutputFormat header names) and OpenAI (`POST /v1/audio/speech` answering the
 * `response_format` asked for). The audio is a real tone made with ffmpeg.
 */
import { randomUUID } from 'node:crypto';
import { VoiceProviderError } from '../../../domain/voice/provider.ts';
import { FakeServer, json, type Recorded, type Reply } from './fake-server.ts';
import { tone } from './audio.ts';

export const AZURE_KEY = 'azure-test-key-0123456789';
export const OPENAI_KEY = 'sk-test-openai-0123456789';
/** The tone every fake answers with. */
export const TONE_SECONDS = 1.5;

export interface Tones {
  wav: Uint8Array;
  mp3: Uint8Array;
  ogg: Uint8Array;
}

export async function makeTones(): Promise<Tones> {
  const [wav, mp3, ogg] = await Promise.all([
    tone({ seconds: TONE_SECONDS, sampleRate: 24_000 }),
    tone({ seconds: TONE_SECONDS, sampleRate: 24_000, format: 'mp3' }),
    tone({ seconds: TONE_SECONDS, sampleRate: 24_000, format: 'ogg' }),
  ]);
  return { wav, mp3, ogg };
}

const AUDIO_BY_AZURE_FORMAT: Record<string, { tone: keyof Tones; type: string }> = {
  'riff-24khz-16bit-mono-pcm': { tone: 'wav', type: 'audio/x-wav' },
  'audio-24khz-48kbitrate-mono-mp3': { tone: 'mp3', type: 'audio/mpeg' },
  'ogg-24khz-16bit-mono-opus': { tone: 'ogg', type: 'audio/ogg' },
};

const AUDIO_BY_OPENAI_FORMAT: Record<string, { tone: keyof Tones; type: string }> = {
  wav: { tone: 'wav', type: 'audio/wav' },
  mp3: { tone: 'mp3', type: 'audio/mpeg' },
  opus: { tone: 'ogg', type: 'audio/ogg' },
};

export interface FakeAzure extends FakeServer {
  /** Personal voices by id: status reads so far, and whether training is to fail. */
  voices: Map<string, { speakerProfileId: string; polls: number; fail?: boolean }>;
}

export async function fakeAzureSpeech(tones: Tones, options: { trainingPolls?: number } = {}): Promise<FakeAzure> {
  const trainingPolls = options.trainingPolls ?? 2;
  const voices: FakeAzure['voices'] = new Map();
  const known = new Set<string>();
  const respond = (request: Recorded): Reply => {
    if (request.headers['ocp-apim-subscription-key'] !== AZURE_KEY) return json({ error: { code: 'Unauthorized' } }, 401);
    const url = new URL(request.url, 'http://fake');
    if (url.pathname === '/cognitiveservices/v1' && request.method === 'POST') {
      const audio = AUDIO_BY_AZURE_FORMAT[String(request.headers['x-microsoft-outputformat'])];
      const speaker = /speakerProfileId="([^"]+)"/.exec(request.body.toString('utf8'))?.[1];
      if (!audio || request.headers['content-type'] !== 'application/ssml+xml') return { status: 400 };
      if (![...voices.values()].some((voice) => voice.speakerProfileId === speaker)) return { status: 400 };
      return { status: 200, headers: { 'content-type': audio.type }, body: tones[audio.tone] };
    }
    const match = /^\/customvoice\/(projects|consents|personalvoices)\/([^/]+)$/.exec(url.pathname);
    if (!match || url.searchParams.get('api-version') !== '2024-02-01-preview') return { status: 404 };
    const [, kind, id] = match as unknown as [string, string, string];
    const key = `${kind}/${id}`;
    if (request.method === 'DELETE') {
      if (!known.delete(key)) return json({ error: { code: 'NotFound' } }, 404);
      voices.delete(id);
      return { status: 204 };
    }
    if (request.method === 'GET' && kind === 'personalvoices') {
      const voice = voices.get(id);
      if (!voice) return json({ error: { code: 'NotFound' } }, 404);
      voice.polls += 1;
      const status = voice.fail ? 'Failed' : voice.polls >= trainingPolls ? 'Succeeded' : voice.polls === 1 ? 'NotStarted' : 'Running';
      return json({ id, speakerProfileId: voice.speakerProfileId, status, ...(voice.fail ? { properties: { failureReason: 'ConsentVerificationFailed' } } : {}) });
    }
    known.add(key);
    if (kind === 'personalvoices') {
      const speakerProfileId = randomUUID();
      voices.set(id, { speakerProfileId, polls: 0 });
      return json({ id, speakerProfileId, status: 'NotStarted' }, 201);
    }
    return json({ id, status: 'NotStarted' }, 201);
  };
  const server = Object.assign(new FakeServer(respond), { voices });
  return server.start();
}

export async function fakeOpenAI(tones: Tones): Promise<FakeServer> {
  return new FakeServer((request) => {
    if (request.headers.authorization !== `Bearer ${OPENAI_KEY}`) return json({ error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } }, 401);
    if (request.method !== 'POST' || request.url !== '/v1/audio/speech') return json({ error: { message: 'not found' } }, 404);
    const body = JSON.parse(request.body.toString('utf8')) as { response_format?: string };
    const audio = AUDIO_BY_OPENAI_FORMAT[body.response_format ?? 'mp3'];
    if (!audio) return json({ error: { message: 'bad response_format' } }, 400);
    return { status: 200, headers: { 'content-type': audio.type }, body: tones[audio.tone] };
  }).start();
}

/** The VoiceProviderError a provider call fails with (any other outcome fails the test). */
export async function failure(promise: Promise<unknown>): Promise<VoiceProviderError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof VoiceProviderError) return error;
    throw error;
  }
  throw new Error('expected a VoiceProviderError');
}

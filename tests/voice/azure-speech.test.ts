/**
 * The Azure AI Speech provider against a local fake that speaks the real REST formats: what it
 * sends (paths, api-version, key header, the multipart parts of consent and personal voice, the
 * SSML), what it makes of the answers (training states, real audio measured), and how each
 * failure reads (429 with Retry-After, 5xx, no answer, 404, 400), never echoing the key or a body.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createAudioProcessor } from '../../adapters/voice/audio.ts';
import { AzureSpeechVoiceProvider, escapeXml, ssml, type AzureSpeechOptions } from '../../adapters/voice/azure-speech.ts';
import { AZURE_KEY, failure, type FakeAzure, fakeAzureSpeech, makeTones, TONE_SECONDS } from './support/fake-remote-providers.ts';
import { formOf, json } from './support/fake-server.ts';

const audio = createAudioProcessor();
const consent = { statement: 'I consent to cloning my voice.', acceptedAt: '2026-01-01T00:00:00.000Z' };
const sample = (seed: number) => ({ bytes: Uint8Array.from({ length: 64 }, (_, index) => (index * seed) % 256), contentType: 'audio/wav' });

let server: FakeAzure;

beforeAll(async () => {
  server = await fakeAzureSpeech(await makeTones(), { trainingPolls: 3 });
}, 60_000);

afterAll(async () => {
  await server.close();
});

function provider(overrides: Partial<AzureSpeechOptions> = {}): AzureSpeechVoiceProvider {
  return new AzureSpeechVoiceProvider({
    subscriptionKey: AZURE_KEY, ttsEndpoint: server.url, apiEndpoint: server.url, baseModel: 'DragonLatestNeural', locale: 'en-US', companyName: 'Contoso', timeoutMs: 10_000, audio, ...overrides,
  });
}

async function trainedVoice(): Promise<string> {
  const { providerVoiceId } = await provider().createVoice({ displayName: 'Ada Lovelace', samples: [sample(3)], consent });
  return providerVoiceId;
}

describe('AzureSpeechVoiceProvider: training', () => {
  it('creates a project, posts the first sample as the consent recording, then the personal voice with every sample', async () => {
    const from = server.requests.length;
    const { providerVoiceId } = await provider().createVoice({ displayName: 'Ada Lovelace', samples: [sample(3), sample(5)], consent });
    const sent = server.requests.slice(from);
    const [project, consentCall, voice] = sent;
    const id = /^(portico-[0-9a-f-]{36})\./.exec(providerVoiceId)![1]!;
    expect(sent.map((request) => `${request.method} ${request.url}`)).toEqual([
      `PUT /customvoice/projects/${id}?api-version=2024-02-01-preview`,
      `POST /customvoice/consents/${id}?api-version=2024-02-01-preview`,
      `POST /customvoice/personalvoices/${id}?api-version=2024-02-01-preview`,
    ]);
    for (const request of sent) expect(request.headers['ocp-apim-subscription-key']).toBe(AZURE_KEY);
    expect(project!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(project!.body.toString())).toEqual({ kind: 'PersonalVoice', description: 'Ada Lovelace' });

    const consentForm = await formOf(consentCall!);
    expect(consentForm.get('projectId')).toBe(id);
    expect(consentForm.get('voiceTalentName')).toBe('Ada Lovelace');
    expect(consentForm.get('companyName')).toBe('Contoso');
    expect(consentForm.get('locale')).toBe('en-US');
    const recording = consentForm.get('audiodata') as File;
    expect(new Uint8Array(await recording.arrayBuffer())).toEqual(sample(3).bytes);

    const voiceForm = await formOf(voice!);
    expect(voiceForm.get('projectId')).toBe(id);
    expect(voiceForm.get('consentId')).toBe(id);
    const parts = voiceForm.getAll('audiodata') as File[];
    expect(parts).toHaveLength(2);
    expect(new Uint8Array(await parts[1]!.arrayBuffer())).toEqual(sample(5).bytes);
    expect(providerVoiceId).toBe(`${id}.${server.voices.get(id)!.speakerProfileId}`);
  });

  it('posts the consent recording the user uploaded, when enrollment names one, and only the samples to the voice', async () => {
    const from = server.requests.length;
    await provider().createVoice({ displayName: 'Ada Lovelace', samples: [sample(3), sample(5)], consent: { ...consent, recording: sample(7) } });
    const [, consentCall, voice] = server.requests.slice(from);
    expect(new Uint8Array(await ((await formOf(consentCall!)).get('audiodata') as File).arrayBuffer())).toEqual(sample(7).bytes);
    const parts = (await formOf(voice!)).getAll('audiodata') as File[];
    expect(await Promise.all(parts.map(async (part) => new Uint8Array(await part.arrayBuffer())))).toEqual([sample(3).bytes, sample(5).bytes]);
  });

  it('reports NotStarted and Running as training, Succeeded as ready, Failed as failed with Azure\'s reason', async () => {
    const id = await trainedVoice();
    const azure = provider();
    expect(await azure.trainingStatus(id)).toEqual({ status: 'training' });
    expect(await azure.trainingStatus(id)).toEqual({ status: 'training' });
    expect(await azure.trainingStatus(id)).toEqual({ status: 'ready' });
    const failing = await trainedVoice();
    server.voices.get(failing.split('.')[0]!)!.fail = true;
    expect(await azure.trainingStatus(failing)).toEqual({ status: 'failed', reason: 'ConsentVerificationFailed' });
  });

  it('deletes the personal voice, the consent and the project; deleting again is fine; an id it never made is not_found', async () => {
    const id = await trainedVoice();
    const from = server.requests.length;
    await provider().deleteVoice(id);
    const name = id.split('.')[0]!;
    expect(server.requests.slice(from).map((request) => `${request.method} ${request.url.split('?')[0]}`)).toEqual([
      `DELETE /customvoice/personalvoices/${name}`, `DELETE /customvoice/consents/${name}`, `DELETE /customvoice/projects/${name}`,
    ]);
    await provider().deleteVoice(id);
    expect((await failure(provider().trainingStatus(id))).reason).toBe('not_found');
    expect((await failure(provider().synthesize({ providerVoiceId: 'offline-p20-x', text: 'hi', format: 'wav' }))).reason).toBe('not_found');
  });

  it('refuses a voice without samples, and cleans up at Azure when the consent is refused', async () => {
    expect((await failure(provider().createVoice({ displayName: 'Me', samples: [], consent }))).reason).toBe('rejected');
    server.queued.push({}, json({ error: { code: 'InvalidRequest', message: 'consent audio does not match' } }, 400));
    const from = server.requests.length;
    const error = await failure(provider().createVoice({ displayName: 'Me', samples: [sample(7)], consent }));
    expect(error.reason).toBe('rejected');
    expect(error.transient).toBe(false);
    expect(error.message).not.toContain('consent audio does not match');
    const sent = server.requests.slice(from).map((request) => request.method);
    expect(sent).toEqual(['PUT', 'POST', 'DELETE', 'DELETE', 'DELETE']);
  });
});

describe('AzureSpeechVoiceProvider: synthesis', () => {
  it('posts SSML for the personal voice with the key and output format, and measures the WAV it gets', async () => {
    const id = await trainedVoice();
    const from = server.requests.length;
    const speech = await provider().synthesize({ providerVoiceId: id, text: 'Fish & chips <now> "quoted"', format: 'wav', speed: 1.5 });
    const request = server.requests[from]!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/cognitiveservices/v1');
    expect(request.headers['ocp-apim-subscription-key']).toBe(AZURE_KEY);
    expect(request.headers['content-type']).toBe('application/ssml+xml');
    expect(request.headers['x-microsoft-outputformat']).toBe('riff-24khz-16bit-mono-pcm');
    const body = request.body.toString('utf8');
    expect(body).toContain('<voice name="DragonLatestNeural">');
    expect(body).toContain(`<mstts:ttsembedding speakerProfileId="${id.split('.')[1]}">`);
    expect(body).toContain('<prosody rate="+50%">Fish &amp; chips &lt;now&gt; &quot;quoted&quot;</prosody>');
    expect(speech.contentType).toBe('audio/wav');
    expect(speech.durationSeconds).toBeCloseTo(TONE_SECONDS, 2);
  });

  it('asks for mp3 and Ogg Opus by their Azure names and measures them with ffprobe', async () => {
    const id = await trainedVoice();
    const mp3 = await provider().synthesize({ providerVoiceId: id, text: 'Hello.', format: 'mp3' });
    expect(server.requests.at(-1)!.headers['x-microsoft-outputformat']).toBe('audio-24khz-48kbitrate-mono-mp3');
    const opus = await provider().synthesize({ providerVoiceId: id, text: 'Hello.', format: 'opus' });
    expect(server.requests.at(-1)!.headers['x-microsoft-outputformat']).toBe('ogg-24khz-16bit-mono-opus');
    expect(mp3.contentType).toBe('audio/mpeg');
    expect(opus.contentType).toBe('audio/ogg; codecs=opus');
    expect(Math.abs(mp3.durationSeconds - TONE_SECONDS)).toBeLessThan(0.1);
    expect(Math.abs(opus.durationSeconds - TONE_SECONDS)).toBeLessThan(0.1);
    expect(server.requests.at(-1)!.body.toString()).not.toContain('prosody');
  }, 60_000);

  it('escapes XML and writes slower speeds as a negative rate', () => {
    expect(escapeXml(`a&b<c>"d"'e'`)).toBe('a&amp;b&lt;c&gt;&quot;d&quot;&apos;e&apos;');
    expect(ssml({ text: 'x', speakerProfileId: 'p', baseModel: 'DragonLatestNeural', locale: 'en-US', speed: 0.75 })).toContain('<prosody rate="-25%">x</prosody>');
  });

  it('takes an answer that is not audio of the format asked for as the provider failing (transient)', async () => {
    const id = await trainedVoice();
    server.queued.push({ status: 200, headers: { 'content-type': 'text/html' }, body: '<html>gateway</html>' });
    expect((await failure(provider().synthesize({ providerVoiceId: id, text: 'Hello.', format: 'wav' }))).reason).toBe('unavailable');
  });
});

describe('AzureSpeechVoiceProvider: failures', () => {
  let id: string;
  beforeAll(async () => {
    id = await trainedVoice();
  });

  it('reads 429 as rate_limited with its Retry-After, transient', async () => {
    server.queued.push({ status: 429, headers: { 'retry-after': '7' }, body: 'slow down' });
    const error = await failure(provider().synthesize({ providerVoiceId: id, text: 'Hello.', format: 'wav' }));
    expect(error).toMatchObject({ reason: 'rate_limited', retryAfterSeconds: 7 });
    expect(error.transient).toBe(true);
  });

  it('reads 500 and a refused connection as unavailable', async () => {
    server.queued.push(json({ error: { message: `internal: key=${AZURE_KEY}` } }, 500));
    const error = await failure(provider().trainingStatus(id));
    expect(error.reason).toBe('unavailable');
    expect(error.transient).toBe(true);
    expect(error.message).not.toContain(AZURE_KEY);
    expect(error.message).not.toContain('internal');
    const closed = provider({ apiEndpoint: 'http://127.0.0.1:1', ttsEndpoint: 'http://127.0.0.1:1' });
    expect((await failure(closed.synthesize({ providerVoiceId: id, text: 'Hello.', format: 'wav' }))).reason).toBe('unavailable');
  });

  it('reads no answer within the timeout, and an aborted call, as timeout', async () => {
    server.queued.push('hang');
    const error = await failure(provider({ timeoutMs: 200 }).synthesize({ providerVoiceId: id, text: 'Hello.', format: 'wav' }));
    expect(error.reason).toBe('timeout');
    expect(error.transient).toBe(true);
    expect((await failure(provider().trainingStatus(id, AbortSignal.abort()))).reason).toBe('timeout');
    expect(server.queued).toEqual([]);
  });

  it('reads 404 as not_found and 400 as rejected, neither transient, and never quotes the key or the body', async () => {
    server.queued.push(json({ error: { code: 'NotFound' } }, 404));
    const missing = await failure(provider().synthesize({ providerVoiceId: id, text: 'Hello.', format: 'wav' }));
    expect(missing.reason).toBe('not_found');
    server.queued.push(json({ error: { code: 'InvalidSsml', message: 'secret-ish echo' } }, 400));
    const refused = await failure(provider().synthesize({ providerVoiceId: id, text: 'Hello.', format: 'wav' }));
    expect(refused.reason).toBe('rejected');
    for (const error of [missing, refused]) {
      expect(error.transient).toBe(false);
      expect(error.message).not.toContain(AZURE_KEY);
      expect(error.message).not.toContain('echo');
    }
    // A wrong key is the fake's 401: a refusal, not something to retry.
    expect((await failure(provider({ subscriptionKey: 'wrong' }).trainingStatus(id))).reason).toBe('rejected');
  });
});

/**
 * Uploads and their blob-triggered processing, through the composition root on memory ports with
 * the real ffprobe and ffmpeg: a WAV the test makes becomes a ready sample (normalised to 16 kHz
 * mono WAV plus an MP3, the original archived), a text file declared as audio is rejected with
 * its reason, and so are recordings outside the limits. Another user's sample is 404.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { createAudioProcessor } from '../../adapters/voice/audio.ts';
import { UPLOADS_CONTAINER } from '../../handlers/voice/settings.ts';
import { samplesContainer, type SampleDoc } from '../../handlers/voice/store.ts';
import { setup } from './support/app.ts';
import { tone } from './support/audio.ts';

const audio = createAudioProcessor();
let stereoWav: Uint8Array;

beforeAll(async () => {
  stereoWav = await tone({ seconds: 4, sampleRate: 44_100, channels: 2 });
}, 60_000);

describe('POST /api/voice/uploads', () => {
  it('answers a write URL for one blob under the user, and a sample awaiting its upload', async () => {
    const t = setup();
    const reply = await t.request('alice', 'voice-uploads-create', { body: { content_type: 'audio/wav', size: 1000 } });
    expect(reply.statusCode).toBe(201);
    const { sample_id: id, upload_url: url, upload_headers: headers, blob_name: name, expires_at: expires } = reply.json!;
    expect(name).toBe(`alice/${id}`);
    expect(decodeURIComponent(url)).toContain(`${UPLOADS_CONTAINER}/alice/${id}`);
    expect(headers).toEqual({ 'content-type': 'audio/wav' });
    expect(Date.parse(expires) - t.clock.now().getTime()).toBe(900_000);
    expect(reply.headers.location).toBe(`/api/voice/samples/${id}`);
    const sample = await t.request('alice', 'voice-samples-get', { params: { id } });
    expect(sample.json).toMatchObject({ sample_id: id, status: 'awaiting_upload' });
  });

  it('refuses a declared size past the limit with 413, and a type that is not audio with 400', async () => {
    const t = setup({ env: { VOICE_UPLOAD_MAX_BYTES: '2048' } });
    const big = await t.request('alice', 'voice-uploads-create', { body: { content_type: 'audio/wav', size: 4096 } });
    expect(big.statusCode).toBe(413);
    expect(big.json).toMatchObject({ code: 'upload_too_large' });
    const text = await t.request('alice', 'voice-uploads-create', { body: { content_type: 'text/plain', size: 10 } });
    expect(text.statusCode).toBe(400);
    expect(text.json).toMatchObject({ code: 'validation_failed' });
  });
});

describe('the voice-uploads blob trigger', () => {
  it('makes a WAV a ready sample: metadata of the original, a 16 kHz mono WAV and an MP3, the original archived', async () => {
    const t = setup();
    const sample = await t.uploadSample('alice', stereoWav);
    expect(sample.json).toMatchObject({
      status: 'ready',
      original: { format: 'wav', codec: 'pcm_s16le', sample_rate: 44_100, channels: 2 },
    });
    expect(sample.json!.duration_seconds).toBeCloseTo(4, 1);
    const id = sample.json!.sample_id as string;
    const doc = (await t.ports.documents.repository<SampleDoc>(samplesContainer).get(id, id))!;
    const wav = (await t.ports.blobs.get('voice-samples', doc.normalised!.wav))!;
    expect(await audio.inspect(wav.bytes)).toMatchObject({ codec: 'pcm_s16le', sampleRate: 16_000, channels: 1 });
    const mp3 = (await t.ports.blobs.get('voice-samples', doc.normalised!.playback))!;
    expect(mp3.contentType).toBe('audio/mpeg');
    expect((await audio.inspect(mp3.bytes))?.codec).toBe('mp3');
    expect(Array.from((await t.ports.blobs.get('voice-archive', doc.blobName))!.bytes)).toEqual(Array.from(stereoWav));
    expect(await t.ports.blobs.list(UPLOADS_CONTAINER)).toEqual([]);
  }, 60_000);

  it('rejects a text file declared as audio, with its reason, and archives it for the retention', async () => {
    const t = setup();
    const sample = await t.uploadSample('alice', new TextEncoder().encode('This is not audio at all, only text pretending.\n'.repeat(20)));
    expect(sample.json).toMatchObject({ status: 'rejected', rejection: { code: 'not_audio' } });
    expect(sample.json!.rejection.reason).toMatch(/not audio/);
    const id = sample.json!.sample_id as string;
    const doc = (await t.ports.documents.repository<SampleDoc>(samplesContainer).get(id, id))!;
    expect(doc.expiresAt).toBe(t.clock.now().getTime() + 7 * 86_400_000);
    expect(await t.ports.blobs.list(UPLOADS_CONTAINER)).toEqual([]);
    expect(await t.ports.blobs.list('voice-archive')).toEqual([doc.blobName]);
  });

  it.each([
    ['too short', { seconds: 1 }, 'too_short', /1 s; a sample needs at least 3 s/],
    ['too long', { seconds: 8 }, 'too_long', /8 s; a sample is at most 6 s/],
    ['sampled too low', { seconds: 4, sampleRate: 8000 }, 'low_sample_rate', /8000 Hz/],
  ])('rejects a recording %s', async (_what, spec, code, reason) => {
    const t = setup({ env: { VOICE_SAMPLE_MAX_SECONDS: '6' } });
    const sample = await t.uploadSample('alice', await tone(spec));
    expect(sample.json).toMatchObject({ status: 'rejected', rejection: { code } });
    expect(sample.json!.rejection.reason).toMatch(reason);
  }, 60_000);

  it('takes MP3 and Ogg/Opus by their content, whatever type was declared', async () => {
    const t = setup();
    const mp3 = await t.uploadSample('alice', await tone({ seconds: 4, format: 'mp3' }), 'audio/ogg');
    expect(mp3.json).toMatchObject({ status: 'ready', original: { codec: 'mp3' } });
    const opus = await t.uploadSample('alice', await tone({ seconds: 4, sampleRate: 48_000, format: 'ogg' }), 'audio/wav');
    expect(opus.json).toMatchObject({ status: 'ready', original: { codec: 'opus' } });
  }, 60_000);

  it('processes a blob once: a second firing (or a second PUT) changes nothing, and the extra upload is dropped', async () => {
    const t = setup();
    const sample = await t.uploadSample('alice', stereoWav);
    const id = sample.json!.sample_id as string;
    const repository = t.ports.documents.repository<SampleDoc>(samplesContainer);
    const before = await repository.get(id, id);
    // The platform fires again (at-least-once), and the client even PUTs again.
    await t.ports.blobs.put(UPLOADS_CONTAINER, before!.blobName, new TextEncoder().encode('junk'), 'audio/wav');
    await t.fireBlob(before!.blobName);
    expect((await repository.get(id, id))!.etag).toBe(before!.etag);
    expect(await t.ports.blobs.list(UPLOADS_CONTAINER)).toEqual([]);
    expect(Array.from((await t.ports.blobs.get('voice-archive', before!.blobName))!.bytes)).toEqual(Array.from(stereoWav));
  }, 60_000);

  it('deletes an upload no sample is waiting for', async () => {
    const t = setup();
    await t.ports.blobs.put(UPLOADS_CONTAINER, 'mallory/not-a-sample', stereoWav, 'audio/wav');
    await t.fireBlob('mallory/not-a-sample');
    expect(await t.ports.blobs.list(UPLOADS_CONTAINER)).toEqual([]);
    expect(t.lines.join('\n')).toMatch(/no sample is waiting/);
  });

  it('does not let one user fill another user\'s sample: the blob must be the one the sample named', async () => {
    const t = setup();
    const upload = await t.request('alice', 'voice-uploads-create', { body: { content_type: 'audio/wav', size: 1000 } });
    const forged = `bob/${upload.json!.sample_id}`;
    await t.ports.blobs.put(UPLOADS_CONTAINER, forged, stereoWav, 'audio/wav');
    await t.fireBlob(forged);
    const sample = await t.request('alice', 'voice-samples-get', { params: { id: upload.json!.sample_id } });
    expect(sample.json).toMatchObject({ status: 'awaiting_upload' });
  });

  it('answers 404 for another user\'s sample, as for a missing one', async () => {
    const t = setup();
    const upload = await t.request('alice', 'voice-uploads-create', { body: { content_type: 'audio/wav', size: 1000 } });
    const theirs = await t.request('bob', 'voice-samples-get', { params: { id: upload.json!.sample_id } });
    const missing = await t.request('bob', 'voice-samples-get', { params: { id: 'nothing-here' } });
    expect(theirs.statusCode).toBe(404);
    expect(theirs.json).toMatchObject({ code: 'not_found' });
    expect(missing.json!.code).toBe(theirs.json!.code);
  });
});

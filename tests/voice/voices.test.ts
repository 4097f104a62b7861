/**
 * Enrollment, the voices and the training monitor, through the composition root on memory ports
 * with the real offline provider: a voice goes queued -> training (the job) -> ready (at the
 * configured monitor tick); refusals, ownership, the timeout of a stuck training, provider
 * failures retried then dead-lettered, and DELETE removing the voice at the provider and its samples.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { VoiceProviderError, type VoiceProvider } from '../../domain/voice/provider.ts';
import { samplesContainer, voicesContainer, type SampleDoc, type VoiceDoc } from '../../handlers/voice/store.ts';
import { deadLettersContainer } from '../../jobs/containers.ts';
import { setup } from './support/app.ts';
import { tone } from './support/audio.ts';

let wav: Uint8Array;
beforeAll(async () => {
  wav = await tone({ seconds: 4 });
}, 60_000);

const consent = { statement: 'I am the speaker and I consent to a synthetic copy of my voice.', accepted_at: '2026-11-22T09:00:00Z' };

async function readySample(t: ReturnType<typeof setup>, user: string): Promise<string> {
  const sample = await t.uploadSample(user, wav);
  expect(sample.json).toMatchObject({ status: 'ready' });
  return sample.json!.sample_id as string;
}

/** A provider whose calls a test scripts; the rest behave like a healthy provider. */
function scriptedProvider(script: Partial<VoiceProvider> = {}): VoiceProvider & { deleted: string[] } {
  const deleted: string[] = [];
  return {
    name: 'offline',
    deleted,
    createVoice: async () => ({ providerVoiceId: 'provider-voice-1' }),
    trainingStatus: async () => ({ status: 'training' }),
    deleteVoice: async (id) => void deleted.push(id),
    synthesize: async () => ({ bytes: new Uint8Array(), contentType: 'audio/wav', durationSeconds: 0 }),
    ...script,
  };
}

describe('enrollment and training', () => {
  it('enrolls ready samples: 202 queued, the job starts training, the monitor makes it ready at the configured tick', async () => {
    const t = setup({ env: { VOICE_OFFLINE_TRAINING_TICKS: '3' } });
    const samples = [await readySample(t, 'alice'), await readySample(t, 'alice')];
    const reply = await t.request('alice', 'voice-enrollment', { body: { display_name: 'My voice', sample_ids: samples, consent } });
    expect(reply.statusCode).toBe(202);
    expect(reply.json).toEqual({ voice_id: expect.any(String), status: 'queued' });
    const id = reply.json!.voice_id as string;
    expect(reply.headers.location).toBe(`/api/voice/voices/${id}`);
    const voice = () => t.request('alice', 'voice-voices-get', { params: { id } }).then((r) => r.json!);
    expect(await voice()).toMatchObject({ status: 'queued', display_name: 'My voice', sample_ids: samples, provider: 'offline', consent: { statement: consent.statement } });

    expect(await t.drainEnrollments()).toBe(1);
    expect(await voice()).toMatchObject({ status: 'training', training_started_at: expect.any(String) });
    await t.tick();
    await t.tick();
    expect((await voice()).status).toBe('training');
    await t.tick();
    expect(await voice()).toMatchObject({ status: 'ready', ready_at: t.clock.now().toISOString() });
    // Enrolled samples are kept with their voice: no expiry any more, and they name it.
    const stored = await t.ports.documents.repository<SampleDoc>(samplesContainer).get(samples[0]!, samples[0]!);
    expect(stored).toMatchObject({ voiceId: id });
    expect(stored!.expiresAt).toBeUndefined();
    const listed = await t.request('alice', 'voice-voices-list');
    expect(listed.json!.items.map((item: { voice_id: string }) => item.voice_id)).toEqual([id]);
    expect((await t.request('bob', 'voice-voices-list')).json!.items).toEqual([]);
  }, 60_000);

  it('refuses a sample that is not ready, already enrolled, or not yours (404, as a missing one)', async () => {
    const t = setup();
    const ready = await readySample(t, 'alice');
    const waiting = (await t.request('alice', 'voice-uploads-create', { body: { content_type: 'audio/wav', size: 100 } })).json!.sample_id as string;
    const enroll = (user: string, ids: string[]) => t.request(user, 'voice-enrollment', { body: { display_name: 'V', sample_ids: ids, consent } });
    expect((await enroll('alice', [waiting])).json).toMatchObject({ status: 409, code: 'sample_not_ready' });
    expect((await enroll('bob', [ready])).json).toMatchObject({ status: 404, code: 'not_found' });
    expect((await enroll('alice', [ready])).statusCode).toBe(202);
    expect((await enroll('alice', [ready])).json).toMatchObject({ status: 409, code: 'sample_in_use' });
    expect((await enroll('alice', [])).json).toMatchObject({ status: 400, code: 'validation_failed' });
    const noConsent = await t.request('alice', 'voice-enrollment', { body: { display_name: 'V', sample_ids: [ready] } });
    expect(noConsent.json).toMatchObject({ status: 400, code: 'validation_failed' });
  }, 60_000);

  it('answers 404 for another user\'s voice, on GET and DELETE, and leaves it alone', async () => {
    const t = setup();
    const id = (await t.request('alice', 'voice-enrollment', { body: { display_name: 'V', sample_ids: [await readySample(t, 'alice')], consent } })).json!.voice_id as string;
    expect((await t.request('bob', 'voice-voices-get', { params: { id } })).statusCode).toBe(404);
    expect((await t.request('bob', 'voice-voices-delete', { params: { id } })).statusCode).toBe(404);
    expect((await t.request('alice', 'voice-voices-get', { params: { id } })).statusCode).toBe(200);
  }, 60_000);

  it('deletes a voice at the provider, with its samples\' documents and audio', async () => {
    const provider = scriptedProvider();
    const t = setup({ ports: { voiceProvider: () => provider } });
    const sampleId = await readySample(t, 'alice');
    const id = (await t.request('alice', 'voice-enrollment', { body: { display_name: 'V', sample_ids: [sampleId], consent } })).json!.voice_id as string;
    await t.drainEnrollments();
    const deleted = await t.request('alice', 'voice-voices-delete', { params: { id } });
    expect(deleted.statusCode).toBe(204);
    expect(provider.deleted).toEqual(['provider-voice-1']);
    expect((await t.request('alice', 'voice-voices-get', { params: { id } })).statusCode).toBe(404);
    expect((await t.request('alice', 'voice-samples-get', { params: { id: sampleId } })).statusCode).toBe(404);
    expect(await t.ports.blobs.list('voice-samples')).toEqual([]);
    expect(await t.ports.blobs.list('voice-archive')).toEqual([]);
  }, 60_000);

  it('takes a consent recording: the provider gets it beside the samples, it is held by the voice, and deleted with it', async () => {
    const requests: Parameters<VoiceProvider['createVoice']>[0][] = [];
    const provider = scriptedProvider({ createVoice: async (request) => (requests.push(request), { providerVoiceId: 'provider-voice-1' }) });
    const t = setup({ ports: { voiceProvider: () => provider } });
    const sampleId = await readySample(t, 'alice');
    const recordingId = await readySample(t, 'alice');
    const same = await t.request('alice', 'voice-enrollment', { body: { display_name: 'V', sample_ids: [sampleId], consent: { ...consent, recording_sample_id: sampleId } } });
    expect(same.json).toMatchObject({ status: 400, code: 'invalid_consent' });
    const id = (await t.request('alice', 'voice-enrollment', { body: { display_name: 'V', sample_ids: [sampleId], consent: { ...consent, recording_sample_id: recordingId } } })).json!.voice_id as string;
    expect((await t.request('alice', 'voice-samples-get', { params: { id: recordingId } })).json).toMatchObject({ voice_id: id });
    await t.drainEnrollments();
    expect(requests).toHaveLength(1);
    expect(requests[0]!.samples).toHaveLength(1);
    expect(requests[0]!.consent).toMatchObject({ statement: consent.statement, recording: { contentType: 'audio/wav' } });
    expect((await t.request('alice', 'voice-voices-get', { params: { id } })).json!.consent).toMatchObject({ recording_sample_id: recordingId });
    expect((await t.request('alice', 'voice-voices-delete', { params: { id } })).statusCode).toBe(204);
    expect((await t.request('alice', 'voice-samples-get', { params: { id: recordingId } })).statusCode).toBe(404);
    expect(await t.ports.blobs.list('voice-samples')).toEqual([]);
  }, 60_000);

  it('refuses a consent recording that is another user\'s (404) or already enrolled (409)', async () => {
    const t = setup();
    const mine = await readySample(t, 'alice');
    const theirs = await readySample(t, 'bob');
    expect((await t.request('alice', 'voice-enrollment', { body: { display_name: 'V', sample_ids: [mine], consent: { ...consent, recording_sample_id: theirs } } })).statusCode).toBe(404);
    const used = await readySample(t, 'alice');
    await t.request('alice', 'voice-enrollment', { body: { display_name: 'W', sample_ids: [used], consent } });
    expect((await t.request('alice', 'voice-enrollment', { body: { display_name: 'V', sample_ids: [mine], consent: { ...consent, recording_sample_id: used } } })).json).toMatchObject({ status: 409, code: 'sample_in_use' });
  }, 60_000);

  it('keeps the voice when the provider cannot delete it now: 503 provider_unavailable, and a retry succeeds', async () => {
    let down = true;
    const provider = scriptedProvider({
      deleteVoice: async () => {
        if (down) throw new VoiceProviderError('unavailable', 'upstream 502');
      },
    });
    const t = setup({ ports: { voiceProvider: () => provider } });
    const id = (await t.request('alice', 'voice-enrollment', { body: { display_name: 'V', sample_ids: [await readySample(t, 'alice')], consent } })).json!.voice_id as string;
    await t.drainEnrollments();
    const refused = await t.request('alice', 'voice-voices-delete', { params: { id } });
    expect(refused.statusCode).toBe(503);
    expect(refused.json).toMatchObject({ code: 'provider_unavailable' });
    expect(JSON.stringify(refused.json)).not.toContain('upstream 502');
    expect((await t.request('alice', 'voice-voices-get', { params: { id } })).statusCode).toBe(200);
    down = false;
    expect((await t.request('alice', 'voice-voices-delete', { params: { id } })).statusCode).toBe(204);
  }, 60_000);

  it('times out a stuck training, deleting it at the provider', async () => {
    const provider = scriptedProvider();
    const t = setup({ env: { VOICE_TRAINING_TIMEOUT_MINUTES: '5' }, ports: { voiceProvider: () => provider } });
    const id = (await t.request('alice', 'voice-enrollment', { body: { display_name: 'V', sample_ids: [await readySample(t, 'alice')], consent } })).json!.voice_id as string;
    await t.drainEnrollments();
    for (let minute = 0; minute < 5; minute++) await t.tick();
    expect((await t.request('alice', 'voice-voices-get', { params: { id } })).json!.status).toBe('training');
    await t.tick();
    expect((await t.request('alice', 'voice-voices-get', { params: { id } })).json).toMatchObject({ status: 'failed', failure: { code: 'training_timeout' } });
    expect(provider.deleted).toEqual(['provider-voice-1']);
  }, 60_000);

  it('fails a voice the provider reports failed, and one it no longer knows; one bad voice never stops the others', async () => {
    const states: Record<string, () => Promise<{ status: 'training' | 'ready' | 'failed'; reason?: string }>> = {
      'pv-1': async () => ({ status: 'failed', reason: 'audio quality' }),
      'pv-2': async () => {
        throw new VoiceProviderError('not_found', 'gone');
      },
      'pv-3': async () => {
        throw new Error('socket hang up');
      },
      'pv-4': async () => ({ status: 'ready' }),
    };
    let next = 0;
    const provider = scriptedProvider({ createVoice: async () => ({ providerVoiceId: `pv-${++next}` }), trainingStatus: (id) => states[id]!() });
    const t = setup({ ports: { voiceProvider: () => provider } });
    const ids: string[] = [];
    for (let index = 0; index < 4; index++) {
      ids.push((await t.request('alice', 'voice-enrollment', { body: { display_name: `V${index}`, sample_ids: [await readySample(t, 'alice')], consent } })).json!.voice_id as string);
      await t.drainEnrollments();
      t.clock.advance(1000);
    }
    await t.tick();
    const status = async (id: string) => (await t.request('alice', 'voice-voices-get', { params: { id } })).json!;
    expect(await status(ids[0]!)).toMatchObject({ status: 'failed', failure: { code: 'training_failed' } });
    expect(JSON.stringify(await status(ids[0]!))).not.toContain('audio quality');
    expect(await status(ids[1]!)).toMatchObject({ status: 'failed', failure: { code: 'training_failed' } });
    expect((await status(ids[2]!)).status).toBe('training');
    expect((await status(ids[3]!)).status).toBe('ready');
  }, 60_000);

  it('retries a provider failing then recovering, and dead-letters one failing for good with the reason, failing the voice', async () => {
    let failures = 1;
    const flaky = scriptedProvider({
      createVoice: async () => {
        if (failures-- > 0) throw new VoiceProviderError('unavailable', 'upstream 503');
        return { providerVoiceId: 'pv-recovered' };
      },
    });
    const t = setup({ ports: { voiceProvider: () => flaky } });
    const id = (await t.request('alice', 'voice-enrollment', { body: { display_name: 'V', sample_ids: [await readySample(t, 'alice')], consent } })).json!.voice_id as string;
    await t.drainEnrollments();
    // The retry waits for its backoff.
    t.clock.advance(10 * 60_000);
    await t.drainEnrollments();
    expect((await t.ports.documents.repository<VoiceDoc>(voicesContainer).get(id, id))).toMatchObject({ status: 'training', providerVoiceId: 'pv-recovered' });

    const refusing = scriptedProvider({
      createVoice: async () => {
        throw new VoiceProviderError('rejected', 'samples contain several speakers');
      },
    });
    const u = setup({ ports: { voiceProvider: () => refusing } });
    const refused = (await u.request('alice', 'voice-enrollment', { body: { display_name: 'V', sample_ids: [await readySample(u, 'alice')], consent } })).json!.voice_id as string;
    await u.drainEnrollments();
    expect((await u.request('alice', 'voice-voices-get', { params: { id: refused } })).json).toMatchObject({ status: 'failed', failure: { code: 'provider_rejected' } });
    const letters = await u.ports.documents.repository(deadLettersContainer).query({ limit: 10 });
    expect(letters.items).toHaveLength(1);
    expect(JSON.stringify(letters.items[0])).toContain('samples contain several speakers');
  }, 60_000);
});

describe('erasure (DELETE /api/delete_account runs every service\'s erase)', () => {
  it('erases the user\'s samples, voices, syntheses and their blobs in every voice container, and nothing of another user\'s', async () => {
    const t = setup();
    const mine = await readySample(t, 'alice');
    const theirs = await readySample(t, 'bob');
    await t.request('alice', 'voice-enrollment', { body: { display_name: 'A', sample_ids: [mine], consent } });
    await t.request('bob', 'voice-enrollment', { body: { display_name: 'B', sample_ids: [theirs], consent } });
    const report = await t.app.depsOf('voice').eraseUser('alice', t.ports.logger);
    const counts = report.services.voice!;
    expect(counts).toMatchObject({ 'voice-samples': 1, voices: 1, 'blobs:voice-samples': 2, 'blobs:voice-archive': 1, 'blobs:voice-uploads': 0 });
    for (const container of ['voice-uploads', 'voice-samples', 'voice-archive', 'voice-synthesis']) {
      expect((await t.ports.blobs.list(container)).filter((name) => name.startsWith('alice/'))).toEqual([]);
    }
    expect((await t.ports.blobs.list('voice-archive')).filter((name) => name.startsWith('bob/'))).toHaveLength(1);
    expect((await t.request('alice', 'voice-samples-get', { params: { id: mine } })).statusCode).toBe(404);
    expect((await t.request('bob', 'voice-samples-get', { params: { id: theirs } })).statusCode).toBe(200);
  }, 60_000);
});

/**
 * Enrollment and the voices: POST /api/voice-enrollment (202, the `voice.enroll` job starts the
 * training), GET /api/voice/voices, GET and DELETE /api/voice/voices/{id}. A voice and its
 * samples are their owner's: another user's is 404 (Voice.Admin reads and deletes anyone's).
 */
import { conflict } from '../../domain/errors.ts';
import type { BlobStore, Clock, DocumentStore, IdSource, Stored } from '../../domain/ports.ts';
import type { JobClient } from '../../jobs/job-client.ts';
import { json, type PorticoHttpHandler } from '../../middleware/http-stack.ts';
import { ownerOf, pageRequestOf, pathId } from '../../middleware/resources.ts';
import { traceOf } from '../../middleware/trace-context.ts';
import { badRequest } from '../../domain/errors.ts';
import { enrollJob } from './jobs.ts';
import { providerOf, providerRefusal, type ProviderDeps } from './provider.ts';
import { listedOwner, viewerOf } from './roles.ts';
import { enrolledSampleIds, readOwned, voiceStores, type SampleDoc, type VoiceDoc } from './store.ts';
import type { VoiceSettings } from './settings.ts';

export interface VoiceRoutesDeps extends ProviderDeps {
  documents: DocumentStore;
  blobs: BlobStore;
  clock: Clock;
  ids: IdSource;
  jobs: Pick<JobClient, 'enqueue'>;
  settings: VoiceSettings;
}

export interface EnrollmentBody {
  display_name: string;
  sample_ids: string[];
  consent: { statement: string; accepted_at: string; recording_sample_id?: string };
}

export function voiceView(doc: Stored<VoiceDoc>) {
  return {
    voice_id: doc.id,
    display_name: doc.displayName,
    status: doc.status,
    sample_ids: doc.sampleIds,
    provider: doc.provider,
    consent: { statement: doc.consent.statement, accepted_at: doc.consent.acceptedAt, ...(doc.consent.recordingSampleId ? { recording_sample_id: doc.consent.recordingSampleId } : {}) },
    ...(doc.failure ? { failure: doc.failure } : {}),
    ...(doc.trainingStartedAt ? { training_started_at: doc.trainingStartedAt } : {}),
    ...(doc.readyAt ? { ready_at: doc.readyAt } : {}),
    created_at: doc.createdAt,
    updated_at: doc.updatedAt,
  };
}

export const enroll = (deps: VoiceRoutesDeps): PorticoHttpHandler<EnrollmentBody> => {
  const { samples, voices } = voiceStores(deps.documents);
  return async (event, context) => {
    const owner = ownerOf(context);
    const { display_name: displayName, sample_ids: sampleIds, consent } = event.json;
    const max = deps.settings.enrollmentMaxSamples;
    if (sampleIds.length > max) throw badRequest('too_many_samples', `A voice takes at most ${max} samples.`);
    if (Date.parse(consent.accepted_at) > deps.clock.now().getTime() + 5 * 60_000) throw badRequest('invalid_consent', 'consent.accepted_at is in the future.');
    const recordingId = consent.recording_sample_id;
    if (recordingId !== undefined && sampleIds.includes(recordingId)) throw badRequest('invalid_consent', 'consent.recording_sample_id must not also be one of sample_ids.');
    const found: Stored<SampleDoc>[] = [];
    for (const id of recordingId === undefined ? sampleIds : [...sampleIds, recordingId]) {
      const sample = await readOwned(samples, id, owner, 'sample');
      if (sample.status !== 'ready') throw conflict('sample_not_ready', `Sample ${id} is ${sample.status}; only ready samples can be enrolled.`);
      if (sample.voiceId) throw conflict('sample_in_use', `Sample ${id} is already enrolled in voice ${sample.voiceId}.`);
      found.push(sample);
    }
    const now = deps.clock.now().toISOString();
    const voiceId = deps.ids.next();
    await voices.create({
      id: voiceId, owner, displayName, status: 'queued', sampleIds, provider: deps.settings.provider,
      consent: { statement: consent.statement, acceptedAt: consent.accepted_at, ...(recordingId !== undefined ? { recordingSampleId: recordingId } : {}) },
      createdAt: now, updatedAt: now,
    });
    // An enrolled sample is kept as long as its voice: it loses its expiry. The ETag check makes
    // two enrollments racing for one sample fail one of them rather than share it.
    for (const sample of found) {
      const { expiresAt: _expiry, ...kept } = sample;
      await samples.replace({ ...kept, voiceId, updatedAt: now }, sample.etag);
    }
    await deps.jobs.enqueue(enrollJob, { voiceId }, { jobId: `voice-enroll-${voiceId}`, ...traceOf(context) });
    return json(202, { voice_id: voiceId, status: 'queued' }, { location: `/api/voice/voices/${encodeURIComponent(voiceId)}` });
  };
};

export const listVoices = (deps: Pick<VoiceRoutesDeps, 'documents'>): PorticoHttpHandler => {
  const { voices } = voiceStores(deps.documents);
  return async (event, context) => {
    const request = pageRequestOf(event);
    const page = await voices.query({
      filters: [{ field: 'owner', op: '=', value: listedOwner(event, viewerOf(context)) }],
      orderBy: { field: 'createdAt', direction: 'desc' },
      limit: request.limit,
      ...(request.continuation ? { continuation: request.continuation } : {}),
    });
    return json(200, { items: page.items.map(voiceView), ...(page.continuation ? { continuation: page.continuation } : {}) });
  };
};

export const getVoice = (deps: Pick<VoiceRoutesDeps, 'documents'>): PorticoHttpHandler => {
  const { voices } = voiceStores(deps.documents);
  return async (event, context) => json(200, voiceView(await readOwned(voices, pathId(event), viewerOf(context), 'voice')));
};

/**
 * Deleted at the provider first (idempotent there), so a failure leaves the voice listed and the
 * DELETE can be retried; then its samples (documents and audio), then the voice.
 */
export const deleteVoice = (deps: VoiceRoutesDeps): PorticoHttpHandler => {
  const { samples, voices } = voiceStores(deps.documents);
  const { containers } = deps.settings;
  return async (event, context) => {
    const voice = await readOwned(voices, pathId(event), viewerOf(context), 'voice');
    if (voice.providerVoiceId) {
      try {
        await providerOf(deps).deleteVoice(voice.providerVoiceId);
      } catch (error) {
        throw providerRefusal(error);
      }
    }
    for (const sampleId of enrolledSampleIds(voice)) {
      const sample = await samples.get(sampleId, sampleId);
      if (!sample) continue;
      for (const name of [sample.normalised?.wav, sample.normalised?.playback]) if (name) await deps.blobs.delete(containers.samples, name);
      await deps.blobs.delete(containers.archive, sample.blobName);
      await samples.delete(sampleId, sampleId);
    }
    await voices.delete(voice.id, voice.id);
    return { statusCode: 204, body: '' };
  };
};

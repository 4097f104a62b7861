/**
 * Synthesis: POST /api/synthesis (202, a job on the short or long queue by the text's length),
 * GET /api/synthesis/{id} (status; when done a short-lived read URL and the duration), and
 * batches: POST /api/synthesis/batch fans its items out as jobs with bounded concurrency, each
 * with its own status; an item that cannot run (its voice is not ready, not yours) fails alone.
 */
import { mapWithConcurrency } from '../../domain/concurrency.ts';
import { AppError, badRequest, conflict } from '../../domain/errors.ts';
import type { BlobStore, Clock, DocumentStore, IdSource, Stored } from '../../domain/ports.ts';
import type { SynthesisFormat } from '../../domain/voice/provider.ts';
import type { JobClient } from '../../jobs/job-client.ts';
import { json, type PorticoHttpHandler } from '../../middleware/http-stack.ts';
import { ownerOf, pathId } from '../../middleware/resources.ts';
import { traceOf } from '../../middleware/trace-context.ts';
import { recordBatchIfCompleted } from './events.ts';
import { synthesizeLongJob, synthesizeShortJob } from './jobs.ts';
import type { VoiceSettings } from './settings.ts';
import { viewerOf } from './roles.ts';
import { readOwned, voiceStores, type SynthesisDoc } from './store.ts';

/** Jobs enqueued at once for one batch: a large batch does not flood the queue client. */
const FAN_OUT = 4;

export interface SynthesisRoutesDeps {
  documents: DocumentStore;
  blobs: BlobStore;
  clock: Clock;
  ids: IdSource;
  jobs: Pick<JobClient, 'enqueue'>;
  settings: VoiceSettings;
}

export interface SynthesisBody {
  voice_id: string;
  text: string;
  format?: SynthesisFormat;
  speed?: number;
  notify_at?: string;
}

/** The furthest ahead `notify_at` may be (and never past the synthesis's own retention). */
const NOTIFY_AT_MAX_SECONDS = 30 * 86_400;

function synthesisService(deps: SynthesisRoutesDeps) {
  const { voices, syntheses } = voiceStores(deps.documents);
  const { text: limits } = deps.settings;

  /** The synthesis document for the item, `queued` (and its job enqueued) or `failed` with why. */
  async function submit(owner: string, item: SynthesisBody, trace: ReturnType<typeof traceOf>, batchId?: string): Promise<Stored<SynthesisDoc>> {
    if (item.text.length > limits.maxChars) throw badRequest('text_too_long', `A text is at most ${limits.maxChars} characters; this one has ${item.text.length}.`);
    const voice = await readOwned(voices, item.voice_id, owner, 'voice');
    if (voice.status !== 'ready') throw conflict('voice_not_ready', `Voice ${voice.id} is ${voice.status}; only a ready voice speaks.`);
    const now = deps.clock.now();
    const notifyAt = item.notify_at === undefined ? undefined : checkNotifyAt(item.notify_at, now);
    const id = deps.ids.next();
    const queue = item.text.length <= limits.shortMaxChars ? 'short' : 'long';
    const doc = await syntheses.create({
      id, owner, voiceId: voice.id, text: item.text, format: item.format ?? 'mp3', ...(item.speed !== undefined ? { speed: item.speed } : {}),
      status: 'queued', queue, ...(batchId ? { batchId } : {}), ...(notifyAt ? { notifyAt } : {}), createdAt: now.toISOString(), updatedAt: now.toISOString(),
      expiresAt: now.getTime() + deps.settings.retention.synthesisSeconds * 1000,
    });
    await deps.jobs.enqueue(queue === 'short' ? synthesizeShortJob : synthesizeLongJob, { synthesisId: id }, { jobId: `voice-synthesis-${id}`, ...trace });
    return doc;
  }

  /** `notify_at` as stored: in the future, and delivered while the synthesis is still kept. */
  function checkNotifyAt(text: string, now: Date): string {
    const at = Date.parse(text);
    const latest = now.getTime() + Math.min(NOTIFY_AT_MAX_SECONDS, deps.settings.retention.synthesisSeconds) * 1000;
    if (!(at > now.getTime())) throw badRequest('invalid_notify_at', 'notify_at must be in the future.');
    if (at > latest) throw badRequest('invalid_notify_at', `notify_at must be before ${new Date(latest).toISOString()} (the synthesis is not kept longer, and 30 days at most).`);
    return new Date(at).toISOString();
  }

  /** An item of a batch that cannot run: recorded as failed, so the batch shows it beside the others. */
  async function failed(owner: string, item: SynthesisBody, batchId: string, error: AppError): Promise<Stored<SynthesisDoc>> {
    const now = deps.clock.now();
    return syntheses.create({
      id: deps.ids.next(), owner, voiceId: item.voice_id, text: item.text, format: item.format ?? 'mp3', status: 'failed', queue: 'short', batchId,
      failure: { code: error.code, reason: error.message }, createdAt: now.toISOString(), updatedAt: now.toISOString(),
      expiresAt: now.getTime() + deps.settings.retention.synthesisSeconds * 1000,
    });
  }

  async function view(doc: Stored<SynthesisDoc>) {
    return {
      synthesis_id: doc.id,
      voice_id: doc.voiceId,
      status: doc.status,
      format: doc.format,
      queue: doc.queue,
      ...(doc.audio
        ? { audio_url: await deps.blobs.readUrl(deps.settings.containers.synthesis, doc.audio.blobName, deps.settings.audioUrlTtlSeconds), content_type: doc.audio.contentType, duration_seconds: doc.audio.durationSeconds }
        : {}),
      ...(doc.failure ? { failure: doc.failure } : {}),
      created_at: doc.createdAt,
      updated_at: doc.updatedAt,
    };
  }

  return { submit, failed, view, syntheses };
}

export const synthesize = (deps: SynthesisRoutesDeps): PorticoHttpHandler<SynthesisBody> => {
  const service = synthesisService(deps);
  return async (event, context) => {
    const doc = await service.submit(ownerOf(context), event.json, traceOf(context));
    return json(202, { synthesis_id: doc.id, status: 'queued' }, { location: `/api/synthesis/${encodeURIComponent(doc.id)}` });
  };
};

export const getSynthesis = (deps: SynthesisRoutesDeps): PorticoHttpHandler => {
  const service = synthesisService(deps);
  return async (event, context) => json(200, await service.view(await readOwned(service.syntheses, pathId(event), viewerOf(context), 'synthesis')));
};

export const synthesizeBatch = (deps: SynthesisRoutesDeps): PorticoHttpHandler<{ items: SynthesisBody[] }> => {
  const service = synthesisService(deps);
  const { batches } = voiceStores(deps.documents);
  return async (event, context) => {
    const owner = ownerOf(context);
    const { items } = event.json;
    const max = deps.settings.text.batchMaxItems;
    if (items.length > max) throw badRequest('too_many_items', `A batch holds at most ${max} items; this one has ${items.length}.`);
    const batchId = deps.ids.next();
    const trace = traceOf(context);
    const docs = await mapWithConcurrency(items, FAN_OUT, async (item) => {
      try {
        return await service.submit(owner, item, trace, batchId);
      } catch (error) {
        // The item's own problem (its voice, its text) fails the item; anything else fails the request.
        if (error instanceof AppError && error.status < 500) return service.failed(owner, item, batchId, error);
        throw error;
      }
    });
    const now = deps.clock.now();
    await batches.create({
      id: batchId, owner, synthesisIds: docs.map((doc) => doc.id), createdAt: now.toISOString(), updatedAt: now.toISOString(),
      expiresAt: now.getTime() + deps.settings.retention.synthesisSeconds * 1000,
    });
    // Its items' jobs may have finished before the batch was written (or none could run): they
    // found no batch to complete, so it is looked at once here too.
    await recordBatchIfCompleted(deps, batchId);
    return json(202, { batch_id: batchId, items: docs.map((doc) => ({ synthesis_id: doc.id, status: doc.status, ...(doc.failure ? { failure: doc.failure } : {}) })) }, {
      location: `/api/synthesis/batch/${encodeURIComponent(batchId)}`,
    });
  };
};

export const getBatch = (deps: SynthesisRoutesDeps): PorticoHttpHandler => {
  const service = synthesisService(deps);
  const { batches } = voiceStores(deps.documents);
  return async (event, context) => {
    const batch = await readOwned(batches, pathId(event), viewerOf(context), 'batch');
    const docs = await mapWithConcurrency(batch.synthesisIds, FAN_OUT, (id) => service.syntheses.get(id, id));
    const items = await Promise.all(docs.filter((doc): doc is Stored<SynthesisDoc> => doc !== undefined).map((doc) => service.view(doc)));
    const counts: Record<string, number> = { queued: 0, running: 0, succeeded: 0, failed: 0 };
    for (const item of items) counts[item.status] = (counts[item.status] ?? 0) + 1;
    const done = counts.succeeded! + counts.failed! === items.length;
    return json(200, { batch_id: batch.id, status: done ? 'completed' : 'running', counts, items });
  };
};

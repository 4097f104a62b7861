/**
 * The voice service's events for its users. Each change a user may want to hear about (a voice
 * ready or failed, a synthesis done, a batch completed) is recorded here as a notification in
 * `voice-notifications`; the notifications timer delivers it to the user's webhooks once due.
 *
 * One notification per event and subject: its id is `<event>:<subject id>`, and a second record
 * of it (a retried job, a duplicate delivery) finds it there and leaves it alone.
 */
import { mapWithConcurrency } from '../../domain/concurrency.ts';
import { validateId } from '../../domain/documents.ts';
import { DocumentExistsError } from '../../domain/errors.ts';
import type { Clock, DocumentStore } from '../../domain/ports.ts';
import type { VoiceSettings } from './settings.ts';
import { voiceStores, type SynthesisDoc, type VoiceDoc, type VoiceEvent } from './store.ts';

export interface EventDeps {
  documents: DocumentStore;
  clock: Clock;
  settings: Pick<VoiceSettings, 'retention'>;
}

/** Subject ids are the service's own ids, safe in a document id; the event names hold no forbidden character either. */
export const notificationId = (event: VoiceEvent, subjectId: string) => validateId(`${event}:${subjectId}`);

/**
 * Records `event` about `subjectId` for `owner`, due at `dueAt` (never before now). Pending
 * notifications expire too (VOICE_NOTIFICATION_RETENTION_DAYS after they were due), so one the
 * timer never reaches does not stay forever.
 */
export async function recordEvent(deps: EventDeps, owner: string, event: VoiceEvent, subjectId: string, data: Record<string, unknown>, dueAt?: Date): Promise<void> {
  const { notifications } = voiceStores(deps.documents);
  const now = deps.clock.now();
  const due = dueAt && dueAt > now ? dueAt : now;
  try {
    await notifications.create({
      id: notificationId(event, subjectId), owner, event, data, dueAt: due.toISOString(), status: 'pending',
      createdAt: now.toISOString(), updatedAt: now.toISOString(), expiresAt: due.getTime() + deps.settings.retention.notificationSeconds * 1000,
    });
  } catch (error) {
    if (!(error instanceof DocumentExistsError)) throw error;
  }
}

/** `voice.ready` or `voice.failed` for a voice in that state; nothing for any other state. */
export async function recordVoiceEvent(deps: EventDeps, voice: VoiceDoc): Promise<void> {
  const subject = { voice_id: voice.id, display_name: voice.displayName, status: voice.status };
  if (voice.status === 'ready') await recordEvent(deps, voice.owner, 'voice.ready', voice.id, { ...subject, ...(voice.readyAt ? { ready_at: voice.readyAt } : {}) });
  if (voice.status === 'failed') await recordEvent(deps, voice.owner, 'voice.failed', voice.id, { ...subject, ...(voice.failure ? { failure: voice.failure } : {}) });
}

/**
 * `synthesis.succeeded` (due at the synthesis's `notifyAt`, if later than now) or
 * `synthesis.failed` (at once) for a finished synthesis, then `batch.completed` if it was the
 * last of its batch to finish. The audio URL is not in the event: it would expire before a late
 * delivery; the receiver reads a fresh one from GET /api/synthesis/{id}.
 */
export async function recordSynthesisEvent(deps: EventDeps, doc: SynthesisDoc): Promise<void> {
  const subject = { synthesis_id: doc.id, voice_id: doc.voiceId, status: doc.status, ...(doc.batchId ? { batch_id: doc.batchId } : {}) };
  if (doc.status === 'succeeded') {
    const audio = doc.audio ? { format: doc.format, content_type: doc.audio.contentType, duration_seconds: doc.audio.durationSeconds } : {};
    await recordEvent(deps, doc.owner, 'synthesis.succeeded', doc.id, { ...subject, ...audio }, doc.notifyAt ? new Date(doc.notifyAt) : undefined);
  } else if (doc.status === 'failed') {
    await recordEvent(deps, doc.owner, 'synthesis.failed', doc.id, { ...subject, ...(doc.failure ? { failure: doc.failure } : {}) });
  } else return;
  if (doc.batchId) await recordBatchIfCompleted(deps, doc.batchId);
}

/**
 * `batch.completed` once no item of the batch is queued or running. Each job writes its own
 * item's outcome before it looks at the others, so of two items finishing together at least the
 * later one sees the batch complete (and if both do, the one id keeps it one notification).
 */
export async function recordBatchIfCompleted(deps: EventDeps, batchId: string): Promise<void> {
  const { batches, syntheses } = voiceStores(deps.documents);
  const batch = await batches.get(batchId, batchId);
  if (!batch) return;
  const items = await mapWithConcurrency(batch.synthesisIds, 4, (id) => syntheses.get(id, id));
  const counts = { succeeded: 0, failed: 0 };
  for (const item of items) {
    if (item?.status === 'succeeded' || item?.status === 'failed') counts[item.status]++;
    else if (item) return;
  }
  await recordEvent(deps, batch.owner, 'batch.completed', batch.id, { batch_id: batch.id, status: 'completed', counts });
}

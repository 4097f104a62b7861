/**
 * The voice cleanup (hourly, once per slot). Retention itself is the documents' `expiresAt`: a
 * rejected sample, a sample never enrolled, a synthesis and a batch expire on their own (reads
 * treat them as absent; the platform's purge deletes them). What an expiry leaves behind is
 * blobs no live document names, and this timer removes those:
 *
 * - samples still `awaiting_upload` once their upload URL has expired plus the grace period (the
 *   upload never came): the document, and a blob should one have landed meanwhile;
 * - orphaned blobs in the four voice containers: a blob is named `<user>/<document id>[.ext]`, and
 *   one whose document is gone (expired, deleted, never made) is deleted once it is older than
 *   VOICE_ORPHAN_GRACE_MINUTES, so an upload or a job writing it right now is never taken.
 *
 * Work is bounded: one page of abandoned samples and one page of each container per run; the
 * sweep keeps its place in each container (the `voice-cleanup` container) and starts over once
 * it reaches the end. One item's failure is logged and counted and never stops the others.
 */
import { PreconditionFailedError } from '../../domain/errors.ts';
import type { BlobStore, Clock, Document, DocumentStore } from '../../domain/ports.ts';
import type { Metrics } from '../../domain/metrics.ts';
import type { FunctionDef, TimerLambda, TimerTrigger } from '../../kernel/functions.ts';
import { oncePerSlot } from '../../jobs/slots.ts';
import type { Logger } from '../../middleware/logger.ts';
import { UPLOADS_CONTAINER, type VoiceSettings } from './settings.ts';
import { cleanupContainer, userPrefix, voiceStores } from './store.ts';

/** Documents or blobs looked at per kind and run; the rest wait for the next run. */
export const CLEANUP_PAGE = 200;

export const VOICE_CLEANUP_METRIC = {
  /** Attributes: `kind` (`abandoned_upload`, `orphan_blob`), `container` for blobs. */
  removed: 'portico.voice.cleanup.removed',
  /** Attributes: `kind`. Items that failed and are tried again next run. */
  errors: 'portico.voice.cleanup.errors',
} as const;

export interface CleanupDeps {
  documents: DocumentStore;
  blobs: BlobStore;
  clock: Clock;
  logger: Logger;
  metrics?: Metrics;
  settings: VoiceSettings;
}

export interface CleanupSummary {
  abandonedUploads: number;
  blobsChecked: number;
  /** Orphaned blobs removed, per container. */
  orphans: Record<string, number>;
  errors: number;
}

interface SweepState extends Document {
  id: string;
  /** Each container's continuation; absent: start from its first blob. */
  cursors: Record<string, string>;
  updatedAt: string;
}

const SWEEP_ID = 'orphan-sweep';

export function createCleanup(deps: CleanupDeps) {
  const { samples, syntheses } = voiceStores(deps.documents);
  const state = deps.documents.repository<SweepState>(cleanupContainer);
  const { containers } = deps.settings;
  const graceMs = deps.settings.orphanGraceSeconds * 1000;
  const removed = deps.metrics?.counter(VOICE_CLEANUP_METRIC.removed, { unit: '{item}', description: 'Voice items removed by the cleanup timer, per kind and container' });
  const failed = deps.metrics?.counter(VOICE_CLEANUP_METRIC.errors, { unit: '{item}', description: 'Voice items the cleanup timer could not remove (tried again next run)' });

  /** True while a live document of the blob's owner carries the id the blob is named for. */
  async function referenced(container: string, name: string): Promise<boolean> {
    const slash = name.indexOf('/');
    if (slash < 0) return false;
    const prefix = name.slice(0, slash + 1);
    // `<id>` in uploads and the archive, `<id>.wav`/`.mp3` in samples, `<id>.<format>` in synthesis.
    const id = name.slice(slash + 1).split('.')[0]!;
    if (!id) return false;
    const doc = container === containers.synthesis ? await syntheses.get(id, id) : await samples.get(id, id);
    return doc !== undefined && userPrefix(doc.owner) === prefix;
  }

  async function abandonedUploads(log: Logger, summary: CleanupSummary, now: Date): Promise<void> {
    // The URL could be used until it expired; the grace covers a PUT still landing and a late trigger.
    const cutoff = new Date(now.getTime() - deps.settings.uploadUrlTtlSeconds * 1000 - graceMs).toISOString();
    const page = await samples.query({
      filters: [{ field: 'status', op: '=', value: 'awaiting_upload' }, { field: 'createdAt', op: '<', value: cutoff }],
      orderBy: { field: 'createdAt', direction: 'asc' },
      limit: CLEANUP_PAGE,
    });
    for (const sample of page.items) {
      try {
        // The document first, ETag-checked: an upload that arrived meanwhile (now `processing`) is
        // left alone. A blob left behind by a failure below is an orphan, which the sweep takes.
        try {
          await samples.delete(sample.id, sample.id, sample.etag);
        } catch (error) {
          if (error instanceof PreconditionFailedError) continue;
          throw error;
        }
        await deps.blobs.delete(UPLOADS_CONTAINER, sample.blobName);
        summary.abandonedUploads++;
        removed?.add(1, { kind: 'abandoned_upload' });
      } catch (error) {
        summary.errors++;
        failed?.add(1, { kind: 'abandoned_upload' });
        log.warn({ sampleId: sample.id, error: messageOf(error) }, 'could not remove an abandoned upload; next run tries again');
      }
    }
  }

  async function sweep(log: Logger, summary: CleanupSummary, now: Date, container: string, cursors: Record<string, string>): Promise<void> {
    const page = await deps.blobs.listPage(container, { limit: CLEANUP_PAGE, ...(cursors[container] ? { continuation: cursors[container] } : {}) });
    for (const blob of page.items) {
      summary.blobsChecked++;
      try {
        if (now.getTime() - blob.lastModified.getTime() < graceMs) continue;
        if (await referenced(container, blob.name)) continue;
        await deps.blobs.delete(container, blob.name);
        summary.orphans[container] = (summary.orphans[container] ?? 0) + 1;
        removed?.add(1, { kind: 'orphan_blob', container });
      } catch (error) {
        summary.errors++;
        failed?.add(1, { kind: 'orphan_blob', container });
        log.warn({ container, blob: blob.name, error: messageOf(error) }, 'could not check or remove a voice blob; next run tries again');
      }
    }
    if (page.continuation) cursors[container] = page.continuation;
    else delete cursors[container];
  }

  return async function cleanup(log: Logger): Promise<CleanupSummary> {
    const now = deps.clock.now();
    const summary: CleanupSummary = { abandonedUploads: 0, blobsChecked: 0, orphans: {}, errors: 0 };
    // Each part is guarded on its own: a store that fails one listing does not stop the others.
    const guarded = async (what: string, work: () => Promise<void>) => {
      try {
        await work();
      } catch (error) {
        summary.errors++;
        failed?.add(1, { kind: what });
        log.warn({ part: what, error: messageOf(error) }, 'a part of the voice cleanup failed; next run tries again');
      }
    };
    await guarded('abandoned_upload', () => abandonedUploads(log, summary, now));
    const saved = await state.get(SWEEP_ID, SWEEP_ID);
    const cursors = { ...saved?.cursors };
    for (const container of [UPLOADS_CONTAINER, containers.samples, containers.archive, containers.synthesis]) {
      await guarded('orphan_blob', () => sweep(log, summary, now, container, cursors));
    }
    // Last writer wins: two runs never share a slot, and a lost cursor only means a page is looked at again.
    await state.upsert({ id: SWEEP_ID, cursors, updatedAt: now.toISOString() });
    return summary;
  };
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export const voiceCleanup = (deps: CleanupDeps, def: FunctionDef<TimerTrigger>): TimerLambda => {
  const cleanup = createCleanup(deps);
  return oncePerSlot(
    def,
    async ({ slot }) => {
      const log = deps.logger.child({ function: def.name, slot });
      const summary = await cleanup(log);
      const orphans = Object.values(summary.orphans).reduce((sum, count) => sum + count, 0);
      log.info({ ...summary, orphansRemoved: orphans }, 'voice cleanup run');
    },
    deps,
  );
};

/**
 * Fires blob-triggered functions on the local host the way the Functions host does: a periodic
 * scan of each trigger's container, and a receipt per blob version (name + ETag) in the
 * `azure-webjobs-hosts` container, so a version is processed once, across restarts too. A failed
 * invocation is retried on later scans (doubling waits); after `maxAttempts` failures the blob is
 * poisoned: its receipt says so and `onPoison` is told (the local host records a dead letter).
 *
 * Latency: a new blob is seen at the next scan, so within `scanIntervalMs` (plus its processing).
 */
import type { ContainerClient } from '@azure/storage-blob';
import { createHash } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { settleWithConcurrency } from '../../domain/concurrency.ts';
import type { BlobTrigger, FunctionDef } from '../../kernel/functions.ts';
import type { Logger } from '../../middleware/logger.ts';
import type { DeadLetters } from '../../jobs/dead-letters.ts';
import { blobService } from '../storage/blob-store.ts';
import type { Invoker } from './invoke.ts';
import { DEFAULT_RETRY, failureBackoff } from './queue-poller.ts';

/** Where the Functions host keeps its blob receipts; we keep ours there too, under our own prefix. */
export const RECEIPTS_CONTAINER = 'azure-webjobs-hosts';
const RECEIPTS_PREFIX = 'blobreceipts/portico-local';

export interface BlobVersion {
  container: string;
  name: string;
  etag: string;
  contentType: string | undefined;
  content: Buffer;
}

export interface BlobWatcherOptions {
  connection: string;
  /** The wait between scans of a container: the latency of a blob trigger. */
  scanIntervalMs: number;
  /** Failed invocations of one blob version before it is poisoned (the host's maxDequeueCount). */
  maxAttempts: number;
  /** The first retry waits this long, doubling per failure (capped at a minute). */
  retryBaseMs?: number;
  /** Blob versions processed at once, per function. */
  concurrency?: number;
  onPoison?: (def: FunctionDef<BlobTrigger>, blob: Omit<BlobVersion, 'content'>, failure: { attempts: number; lastError: string }) => Promise<void>;
}

type ReceiptStatus = 'done' | 'failed' | 'poisoned';
interface Receipt {
  status: ReceiptStatus;
  attempts: number;
  /** Epoch ms before which a failed version is not retried. */
  retryAt: number;
}

/** `uploads/{name}` or `uploads/in/{name}.wav` -> the container and a matcher for blob names. */
export function parseBlobPath(path: string): { container: string; prefix: string; matches: (name: string) => boolean } {
  const slash = path.indexOf('/');
  if (slash < 1) throw new Error(`blob trigger path "${path}" must be "container/{name}"`);
  const container = path.slice(0, slash);
  const pattern = path.slice(slash + 1);
  const brace = pattern.indexOf('{');
  const prefix = brace < 0 ? pattern : pattern.slice(0, brace);
  const escaped = pattern.split(/\{[^}]+\}/).map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const regex = new RegExp(`^${escaped.join('.+')}$`, 's');
  return { container, prefix, matches: (name) => regex.test(name) };
}

/** The queue name a poisoned blob's dead letter is filed under (the host's is `webjobs-blobtrigger-poison`). */
export const BLOB_TRIGGER_QUEUE = 'webjobs-blobtrigger';

/**
 * A poisoned blob as a dead letter: the host's poison message (function, container, blob, ETag)
 * as its raw message. Not an envelope, so not replayable: a new upload is a new version.
 */
export function blobPoisonLetter(def: FunctionDef, blob: Omit<BlobVersion, 'content'>, failure: { attempts: number; lastError: string }) {
  return {
    id: `blob-${createHash('sha256').update(`${def.name}\n${blob.container}\n${blob.name}\n${blob.etag}`).digest('hex').slice(0, 32)}`,
    queue: BLOB_TRIGGER_QUEUE,
    reason: 'poisoned' as const,
    lastError: failure.lastError,
    attempts: failure.attempts,
    rawMessage: JSON.stringify({ function: def.name, container: blob.container, name: blob.name, etag: blob.etag }),
  };
}

/** How the local host runs a blob version: through the invoker, with the properties the host passes (ETag, content type). */
export const invokeBlobVersion = (invoker: Pick<Invoker, 'blob'>) => (def: FunctionDef<BlobTrigger>, blob: BlobVersion) =>
  invoker.blob(def, `${blob.container}/${blob.name}`, blob.content, { eTag: blob.etag, ...(blob.contentType ? { contentType: blob.contentType } : {}) });

/** How the local host poisons a blob: a dead letter in the platform's records (and on its queue). */
export const poisonIntoDeadLetters = (deadLetters: Pick<DeadLetters, 'record'>): NonNullable<BlobWatcherOptions['onPoison']> => (def, blob, failure) =>
  deadLetters.record(blobPoisonLetter(def, blob, failure));

/** One receipt blob per function and blob version; hashed, so any blob name fits. */
const receiptName = (def: FunctionDef, container: string, name: string, etag: string) =>
  `${RECEIPTS_PREFIX}/${def.name}/${createHash('sha256').update(`${container}\n${name}\n${etag}`).digest('hex')}`;

/** Listings give ETags bare, uploads and reads quoted: one form (the header's), so receipts and events agree. */
const quoted = (etag: string) => (etag.startsWith('"') ? etag : `"${etag}"`);

function readReceipt(metadata: Record<string, string> | undefined): Receipt | undefined {
  if (!metadata?.status) return undefined;
  return { status: metadata.status as ReceiptStatus, attempts: Number(metadata.attempts ?? 0), retryAt: Number(metadata.retryat ?? 0) };
}

export function startBlobWatchers(
  defs: readonly FunctionDef<BlobTrigger>[],
  run: (def: FunctionDef<BlobTrigger>, blob: BlobVersion) => Promise<void>,
  options: BlobWatcherOptions,
  logger: Logger,
  now: () => number = Date.now,
) {
  const abort = new AbortController();
  const sleep = (ms: number) => delay(ms, undefined, { signal: abort.signal }).catch(() => undefined);
  const retryBaseMs = options.retryBaseMs ?? 1000;

  async function writeReceipt(receipts: ContainerClient, name: string, receipt: Receipt): Promise<void> {
    await receipts.getBlockBlobClient(name).upload('', 0, {
      metadata: { status: receipt.status, attempts: String(receipt.attempts), retryat: String(receipt.retryAt) },
    });
  }

  /**
   * Runs one blob version and records the outcome. Throws only when Storage fails (the download
   * or a receipt): nothing is recorded then, and a later scan takes the version up again.
   */
  async function handle(def: FunctionDef<BlobTrigger>, source: ContainerClient, receipts: ContainerClient, blob: Omit<BlobVersion, 'content'>, previous: Receipt | undefined) {
    const receipt = receiptName(def, blob.container, blob.name, blob.etag);
    const attempts = (previous?.attempts ?? 0) + 1;
    let content: Buffer;
    try {
      // The version listed, not a newer one: a blob replaced since the scan is the next scan's.
      content = await source.getBlobClient(blob.name).downloadToBuffer(undefined, undefined, { conditions: { ifMatch: blob.etag }, abortSignal: abort.signal });
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 412 || status === 404 || abort.signal.aborted) return; // replaced or deleted meanwhile, or stopping
      throw error;
    }
    try {
      await run(def, { ...blob, content });
    } catch (error) {
      await failed(def, receipts, receipt, blob, attempts, error);
      return;
    }
    await writeReceipt(receipts, receipt, { status: 'done', attempts, retryAt: 0 });
  }

  /** A failed invocation: retried after a doubling wait, or poisoned once `maxAttempts` have failed. */
  async function failed(def: FunctionDef<BlobTrigger>, receipts: ContainerClient, receipt: string, blob: Omit<BlobVersion, 'content'>, attempts: number, error: unknown) {
    const lastError = error instanceof Error ? error.message : String(error);
    const where = `${blob.container}/${blob.name}`;
    if (attempts >= options.maxAttempts) {
      // The dead letter first: if it cannot be written, the receipt still says failed and a later scan tries again.
      await options.onPoison?.(def, blob, { attempts, lastError });
      await writeReceipt(receipts, receipt, { status: 'poisoned', attempts, retryAt: 0 });
      logger.error({ function: def.name, blob: where, attempts, err: error }, 'blob poisoned after repeated failures');
      return;
    }
    const waitMs = Math.min(retryBaseMs * 2 ** (attempts - 1), 60_000);
    await writeReceipt(receipts, receipt, { status: 'failed', attempts, retryAt: now() + waitMs });
    logger.warn({ function: def.name, blob: where, attempt: attempts, retryInMs: waitMs, err: error }, 'blob function failed; it will be retried');
  }

  /** One scan: every matching blob version without a final receipt, due now. */
  async function scan(def: FunctionDef<BlobTrigger>, source: ContainerClient, receipts: ContainerClient) {
    const { container, prefix, matches } = parseBlobPath(def.trigger.path);
    const known = new Map<string, Receipt>();
    for await (const item of receipts.listBlobsFlat({ prefix: `${RECEIPTS_PREFIX}/${def.name}/`, includeMetadata: true })) {
      const receipt = readReceipt(item.metadata);
      if (receipt) known.set(item.name, receipt);
    }
    const due: Array<{ blob: Omit<BlobVersion, 'content'>; previous: Receipt | undefined }> = [];
    for await (const item of source.listBlobsFlat({ ...(prefix ? { prefix } : {}) })) {
      if (!matches(item.name)) continue;
      const blob = { container, name: item.name, etag: quoted(item.properties.etag ?? ''), contentType: item.properties.contentType };
      const previous = known.get(receiptName(def, container, blob.name, blob.etag));
      if (previous && (previous.status !== 'failed' || previous.retryAt > now())) continue;
      due.push({ blob, previous });
    }
    const outcomes = await settleWithConcurrency(due, options.concurrency ?? 4, ({ blob, previous }) => handle(def, source, receipts, blob, previous));
    // A receipt or dead letter that could not be written: the version is taken up again at a later scan.
    outcomes.forEach((outcome, index) => {
      if (outcome.status === 'rejected') logger.warn({ function: def.name, blob: `${container}/${due[index]!.blob.name}`, err: outcome.reason }, 'blob outcome not recorded; it will be retried');
    });
  }

  async function watch(def: FunctionDef<BlobTrigger>) {
    const backoff = failureBackoff(DEFAULT_RETRY);
    let clients: { source: ContainerClient; receipts: ContainerClient } | undefined;
    while (!abort.signal.aborted) {
      try {
        if (!clients) {
          const service = await blobService(options.connection);
          const source = service.getContainerClient(parseBlobPath(def.trigger.path).container);
          const receipts = service.getContainerClient(RECEIPTS_CONTAINER);
          // As the host does: the trigger's container exists once the function is listening.
          await source.createIfNotExists();
          await receipts.createIfNotExists();
          clients = { source, receipts };
        }
        await scan(def, clients.source, clients.receipts);
        if (backoff.failures > 0) logger.info({ function: def.name, failures: backoff.failures }, 'blob scanning resumed');
        backoff.succeeded();
        await sleep(options.scanIntervalMs);
      } catch (error) {
        if (abort.signal.aborted) break;
        const retryInMs = backoff.failed();
        logger.warn({ function: def.name, err: error, retryInMs }, 'blob scan failed; retrying');
        await sleep(retryInMs);
      }
    }
  }

  const loops = defs.map((def) => watch(def).catch((error: unknown) => logger.error({ function: def.name, err: error }, 'blob watcher stopped')));
  return {
    async stop(): Promise<void> {
      abort.abort();
      await Promise.allSettled(loops);
    },
  };
}

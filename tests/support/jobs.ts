/** Drives the job runtime in tests: memory ports, a controllable clock, and a queue pump. */
import type { SQSEvent } from 'aws-lambda';
import { MemoryBlobStore } from '../../adapters/memory/blobs.ts';
import { MemoryDocumentStore } from '../../adapters/memory/documents.ts';
import { MemoryMessageQueue } from '../../adapters/memory/message-queue.ts';
import type { JobSettings } from '../../domain/jobs.ts';
import type { MessageQueue, ReceivedMessage } from '../../domain/ports.ts';
import type { JobSpec } from '../../kernel/jobs.ts';
import type { JobRuntimeDeps } from '../../jobs/runtime-deps.ts';
import { createJobWorker } from '../../jobs/worker.ts';
import { captureLogger, lambdaContext } from './platform.ts';

export function testClock(start = Date.parse('2026-11-22T10:00:00Z')) {
  let now = start;
  return { now: () => new Date(now), advance: (ms: number) => void (now += ms), set: (ms: number) => void (now = ms) };
}

export const fastSettings: JobSettings = {
  retry: { maxAttempts: 3, baseBackoffSeconds: 2, maxBackoffSeconds: 60, jitterSeconds: 0 },
  dedupeTtlSeconds: 3600,
  completedTtlSeconds: 600,
};

/** A seeded PRNG (mulberry32): the same seed gives the same run. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function memoryRuntime(jobs: JobSpec[], settings: JobSettings = fastSettings) {
  const clock = testClock();
  const { logger, records } = captureLogger();
  let id = 0;
  const deps: JobRuntimeDeps = {
    documents: new MemoryDocumentStore(clock),
    queue: new MemoryMessageQueue({ clock }),
    blobs: new MemoryBlobStore({ clock }),
    clock,
    ids: { next: () => `job-${++id}` },
    logger,
    jobs,
    settings: () => settings,
    leaseSeconds: 30,
    random: () => 0.5,
  };
  return { deps, clock, logs: records, runtime: createJobWorker(deps) };
}

export function sqsEvent(queue: string, messages: ReceivedMessage[]): SQSEvent {
  return {
    Records: messages.map((message) => ({
      messageId: message.id,
      receiptHandle: message.receipt,
      body: message.text,
      attributes: {
        ApproximateReceiveCount: String(message.dequeueCount),
        SentTimestamp: String(message.insertedAt.getTime()),
        SenderId: 'test',
        ApproximateFirstReceiveTimestamp: String(message.insertedAt.getTime()),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'azure:storagequeue',
      eventSourceARN: `azure:storagequeue:${queue}`,
      awsRegion: 'local',
    })),
  };
}

/**
 * Delivers what is visible on `queue` to `handler`, one message per invocation as on Azure,
 * deleting on success and leaving failures for redelivery. Returns how many were delivered.
 */
export async function pump(queue: MessageQueue, name: string, handler: (event: SQSEvent) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>): Promise<number> {
  let delivered = 0;
  for (;;) {
    const messages = await queue.receive(name, { max: 32, visibilitySeconds: 30 });
    if (messages.length === 0) return delivered;
    for (const message of messages) {
      delivered++;
      const result = await handler(sqsEvent(name, [message]));
      if (result.batchItemFailures.length === 0) await queue.delete(name, message);
    }
  }
}

export const context = () => lambdaContext('jobs-worker', 60_000);

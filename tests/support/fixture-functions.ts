/**
 * A table with one function of every trigger kind, for adapter and local-host tests. The
 * handlers record what they receive, and fail on request, so tests can observe retries.
 */
import type { Context, S3Event, ScheduledEvent, SQSEvent } from 'aws-lambda';
import { defineFunction, type FunctionDef } from '../../kernel/functions.ts';

export const received: { queue: SQSEvent[]; timer: ScheduledEvent[]; blob: S3Event[]; contexts: Context[] } = {
  queue: [],
  timer: [],
  blob: [],
  contexts: [],
};

export function resetReceived(): void {
  received.queue.length = 0;
  received.timer.length = 0;
  received.blob.length = 0;
  received.contexts.length = 0;
}

export const fixtureQueue = defineFunction({
  name: 'fixture-queue',
  trigger: { kind: 'queue', queue: 'fixture-jobs' },
  load: async () => ({
    handler: async (event: SQSEvent, context: Context) => {
      received.queue.push(event);
      received.contexts.push(context);
      // A body containing "fail" is reported as a batch item failure; "throw" throws.
      const failures = event.Records.filter((record) => record.body.includes('fail')).map((record) => ({
        itemIdentifier: record.messageId,
      }));
      if (event.Records.some((record) => record.body.includes('throw'))) throw new Error('fixture handler threw');
      return { batchItemFailures: failures };
    },
  }),
});

export const fixtureTimer = defineFunction({
  name: 'fixture-timer',
  trigger: { kind: 'timer', schedule: '*/2 * * * * *' },
  load: async () => ({
    handler: async (event: ScheduledEvent, context: Context) => {
      received.timer.push(event);
      received.contexts.push(context);
    },
  }),
});

export const fixtureBlob = defineFunction({
  name: 'fixture-blob',
  trigger: { kind: 'blob', path: 'uploads/{name}' },
  load: async () => ({
    handler: async (event: S3Event, context: Context) => {
      received.blob.push(event);
      received.contexts.push(context);
      // A blob whose name contains "fail" fails, so tests can observe retries and poisoning.
      if (event.Records.some((record) => record.s3.object.key.includes('fail'))) throw new Error('fixture blob handler failed');
    },
  }),
});

export const fixtureFunctions: readonly FunctionDef[] = [fixtureQueue, fixtureTimer, fixtureBlob] as FunctionDef[];

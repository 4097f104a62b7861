/**
 * The voice service through the composition root (`testApp`): the real manifest, `bind`, the HTTP
 * stack and real tokens, on memory ports with a controllable clock. The audio port is the real
 * one (ffprobe and ffmpeg); the provider is the real offline one unless a test gives its own.
 */
import type { S3Event } from 'aws-lambda';
import type { Ports } from '../../../app/ports.ts';
import { s3Key } from '../../../adapters/azure/blob.ts';
import voice from '../../../handlers/voice/index.ts';
import { UPLOADS_CONTAINER } from '../../../handlers/voice/settings.ts';
import type { Env } from '../../../kernel/env.ts';
import type { BlobLambda, HttpLambda, QueueLambda, TimerLambda } from '../../../kernel/functions.ts';
import { call } from '../../identity/support.ts';
import { testApp } from '../../support/app.ts';
import { context as jobContext, pump } from '../../support/jobs.ts';
import { lambdaContext } from '../../support/platform.ts';

export interface Reply {
  statusCode: number;
  headers: Record<string, string>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- replies are read loosely; the assertions are the check
  json: Record<string, any> | undefined;
}

/** The roles a test user's token carries: Portico's default for its own accounts, unless `roles` names others. */
const defaultRoles = ['Voice.Enroll', 'Voice.Synthesize'];

export function setup(options: { env?: Env; ports?: Partial<Ports>; roles?: Record<string, readonly string[]> } = {}) {
  const t = testApp({ services: [voice], env: { VOICE_OFFLINE_TRAINING_TICKS: '2', ...options.env }, ports: options.ports ?? {} });
  const tokens = new Map<string, string>();
  async function tokenOf(user: string): Promise<string> {
    if (!tokens.has(user)) tokens.set(user, (await t.ports.auth.tokens.issueAccessToken({ userId: user, email: `${user}@example.test`, roles: options.roles?.[user] ?? defaultRoles })).accessToken);
    return tokens.get(user)!;
  }
  async function request(user: string, name: string, init: { params?: Record<string, string>; body?: unknown } = {}): Promise<Reply> {
    const handler = await t.handler<HttpLambda>(name);
    const trigger = t.app.find(name)!.trigger as { method: string; route: string };
    const path = `/api/${trigger.route.replace(/\{(\w+)\}/g, (_, key: string) => encodeURIComponent(init.params?.[key] ?? ''))}`;
    const headers: Record<string, string> = { authorization: `Bearer ${await tokenOf(user)}`, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) };
    return call(async (event, context) => handler({ ...event, ...(init.params ? { pathParameters: init.params } : {}) }, context), {
      method: trigger.method, path, headers, ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
  }
  /** The blob trigger, as the platform fires it for a blob in voice-uploads/. */
  async function fireBlob(name: string): Promise<void> {
    const handler = await t.handler<BlobLambda>('voice-process-upload');
    const size = (await t.ports.blobs.get(UPLOADS_CONTAINER, name))?.bytes.length ?? 0;
    const event = { Records: [{ s3: { bucket: { name: UPLOADS_CONTAINER }, object: { key: s3Key(name), size } } }] } as unknown as S3Event;
    await handler(event, lambdaContext('voice-process-upload'));
  }
  /** Upload URL, the client's PUT (into the memory store), and the trigger: the sample as GET answers it. */
  async function uploadSample(user: string, bytes: Uint8Array, contentType = 'audio/wav'): Promise<Reply> {
    const upload = await request(user, 'voice-uploads-create', { body: { content_type: contentType, size: bytes.length } });
    if (upload.statusCode !== 201) return upload;
    await t.ports.blobs.put(UPLOADS_CONTAINER, upload.json!.blob_name as string, bytes, contentType);
    await fireBlob(upload.json!.blob_name as string);
    return request(user, 'voice-samples-get', { params: { id: upload.json!.sample_id as string } });
  }
  /** Runs the enrollment jobs waiting on the queue. */
  async function drainEnrollments(): Promise<number> {
    const worker = await t.handler<QueueLambda>('jobs-voice-enrollment');
    return pump(t.ports.queue, 'voice-enrollment', async (event) => (await worker(event, jobContext())) as { batchItemFailures: { itemIdentifier: string }[] });
  }
  /** Runs the synthesis jobs waiting on both queues; answers how many were delivered. */
  async function drainSyntheses(): Promise<{ short: number; long: number }> {
    const run = async (queue: string) => {
      const worker = await t.handler<QueueLambda>(`jobs-${queue}`);
      return pump(t.ports.queue, queue, async (event) => (await worker(event, jobContext())) as { batchItemFailures: { itemIdentifier: string }[] });
    };
    return { short: await run('voice-synthesis-short'), long: await run('voice-synthesis-long') };
  }
  /** One firing of the training monitor, a minute after the last (each firing is its own slot). */
  async function tick(): Promise<void> {
    t.clock.advance(60_000);
    const handler = await t.handler<TimerLambda>('voice-training-monitor');
    await handler({ time: t.clock.now().toISOString(), detail: {} } as never, lambdaContext('voice-training-monitor'));
  }
  /**
   * One firing of the cleanup timer at the clock's time. The timer runs once per hourly slot, and
   * tests fire it seconds apart, so each firing names a slot of its own (the run reads the clock).
   */
  let cleanups = 0;
  async function cleanup(): Promise<void> {
    const handler = await t.handler<TimerLambda>('voice-cleanup');
    const slot = new Date(Date.UTC(2040, 0, 1) + ++cleanups * 3_600_000).toISOString();
    await handler({ time: slot, detail: {} } as never, lambdaContext('voice-cleanup'));
  }
  return { ...t, request, fireBlob, uploadSample, drainEnrollments, drainSyntheses, tick, cleanup };
}

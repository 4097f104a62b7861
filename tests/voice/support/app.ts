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

export const testConsent = { statement: 'I am the speaker and I consent to a synthetic copy of my voice.', accepted_at: '2026-11-22T09:00:00Z' };

/** The roles a test user's token carries: Portico's default for its own accounts, unless `roles` names others. */
const defaultRoles = ['Voice.Enroll', 'Voice.Synthesize'];

export function setup(options: { env?: Env; ports?: Partial<Ports>; roles?: Record<string, readonly string[]> } = {}) {
  const t = testApp({ services: [voice], env: { VOICE_OFFLINE_TRAINING_TICKS: '2', ...options.env }, ports: options.ports ?? {} });
  const tokens = new Map<string, string>();
  async function tokenOf(user: string): Promise<string> {
    if (!tokens.has(user)) tokens.set(user, (await t.ports.auth.tokens.issueAccessToken({ userId: user, email: `${user}@example.test`, roles: options.roles?.[user] ?? defaultRoles })).accessToken);
    return tokens.get(user)!;
  }
  async function request(user: string, name: string, init: { params?: Record<string, string>; query?: Record<string, string>; body?: unknown } = {}): Promise<Reply> {
    const handler = await t.handler<HttpLambda>(name);
    const trigger = t.app.find(name)!.trigger as { method: string; route: string };
    const path = `/api/${trigger.route.replace(/\{(\w+)\}/g, (_, key: string) => encodeURIComponent(init.params?.[key] ?? ''))}`;
    const headers: Record<string, string> = { authorization: `Bearer ${await tokenOf(user)}`, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) };
    return call(async (event, context) => handler({ ...event, ...(init.params ? { pathParameters: init.params } : {}) }, context), {
      method: trigger.method, path, headers, ...(init.query ? { query: new URLSearchParams(init.query).toString() } : {}), ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
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
  /** Runs the jobs waiting on `queue` (its worker as the platform runs it); answers how many were delivered. */
  async function drain(queue: string): Promise<number> {
    const worker = await t.handler<QueueLambda>(`jobs-${queue}`);
    return pump(t.ports.queue, queue, async (event) => (await worker(event, jobContext())) as { batchItemFailures: { itemIdentifier: string }[] });
  }
  /** Runs the enrollment jobs waiting on the queue. */
  const drainEnrollments = () => drain('voice-enrollment');
  /** Runs the synthesis jobs waiting on both queues; answers how many were delivered. */
  async function drainSyntheses(): Promise<{ short: number; long: number }> {
    return { short: await drain('voice-synthesis-short'), long: await drain('voice-synthesis-long') };
  }
  /** Runs the webhook deliveries waiting on their queue (those whose retry is due). */
  const drainWebhooks = () => drain('voice-webhooks');
  /** One firing of a timer at the clock's time, as the platform fires it (`time` is the slot's). */
  async function fire(name: string): Promise<void> {
    const handler = await t.handler<TimerLambda>(name);
    await handler({ time: t.clock.now().toISOString(), detail: {} } as never, lambdaContext(name));
  }
  /** One firing of the training monitor, a minute after the last (each firing is its own slot). */
  async function tick(): Promise<void> {
    t.clock.advance(60_000);
    await fire('voice-training-monitor');
  }
  /** A ready voice of `user` made from `sample`: upload, enroll, the job, and the monitor ticks the offline provider needs. */
  async function readyVoice(user: string, sample: Uint8Array): Promise<string> {
    const uploaded = await uploadSample(user, sample);
    const enrolled = await request(user, 'voice-enrollment', { body: { display_name: 'V', sample_ids: [uploaded.json!.sample_id], consent: testConsent } });
    const voiceId = enrolled.json!.voice_id as string;
    await drainEnrollments();
    for (let ticks = 0; ticks < 5; ticks++) {
      if ((await request(user, 'voice-voices-get', { params: { id: voiceId } })).json!.status === 'ready') return voiceId;
      await tick();
    }
    throw new Error(`voice ${voiceId} of ${user} did not become ready`);
  }
  /** One firing of the notifications timer at the clock's time, then the deliveries it enqueued. */
  async function notify(): Promise<void> {
    await fire('voice-notifications');
    await drainWebhooks();
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
  return { ...t, request, fireBlob, uploadSample, drain, drainEnrollments, drainSyntheses, drainWebhooks, fire, tick, notify, readyVoice, cleanup };
}

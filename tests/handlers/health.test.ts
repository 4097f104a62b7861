import { describe, expect, it } from '@jest/globals';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSystemResources } from '../../adapters/system/resources.ts';
import { MemoryMessageQueue } from '../../adapters/memory/message-queue.ts';
import type { HealthReport, QueueDepth, SystemResources } from '../../domain/health.ts';
import { health as healthFunction } from '../../handlers/system/functions.ts';
import system from '../../handlers/system/index.ts';
import voice from '../../handlers/voice/index.ts';
import { health as healthRoute, type HealthDeps } from '../../handlers/system/platform.routes.ts';
import { defineService } from '../../kernel/services.ts';
import { httpHandler } from '../../middleware/http-stack.ts';
import { testApp } from '../support/app.ts';
import { httpEvent, lambdaContext, testPlatform } from '../support/platform.ts';

type FullReport = HealthReport & { system?: SystemResources; queues?: Record<string, QueueDepth> };

async function healthWith(deps: Partial<HealthDeps>) {
  const inner = healthRoute({ catalog: { version: '9.9.9' }, dependencyChecks: {}, config: { healthTimeoutMs: 100 }, ...deps });
  const result = await httpHandler(healthFunction, inner, testPlatform())(httpEvent({ method: 'GET', path: '/api/health' }), lambdaContext('health'));
  return { status: result.statusCode, body: JSON.parse(result.body ?? '{}') as FullReport };
}

/** The route's factory in the standard stack, as bind wires it. */
async function health(checks: HealthDeps['dependencyChecks'], timeoutMs = 200) {
  const inner = healthRoute({ catalog: { version: '9.9.9' }, dependencyChecks: checks, config: { healthTimeoutMs: timeoutMs } });
  const handler = httpHandler(healthFunction, inner, testPlatform());
  const result = await handler(httpEvent({ method: 'GET', path: '/api/health' }), lambdaContext('health'));
  return { status: result.statusCode, body: JSON.parse(result.body ?? '{}') as HealthReport };
}

describe('GET /api/health', () => {
  it('is 200 with each dependency up and its latency', async () => {
    const { status, body } = await health({ storage: async () => undefined, cosmos: async () => new Promise((r) => setTimeout(r, 20)) });
    expect(status).toBe(200);
    expect(body).toEqual({
      status: 'healthy',
      version: '9.9.9',
      dependencies: { storage: { status: 'up', latencyMs: expect.any(Number) }, cosmos: { status: 'up', latencyMs: expect.any(Number) } },
    });
    expect(body.dependencies.cosmos!.latencyMs).toBeGreaterThanOrEqual(15);
  });

  it('is 503 naming the dependency that is down, without its error text', async () => {
    const { status, body } = await health({
      storage: async () => undefined,
      cosmos: async () => {
        throw new Error('connect ECONNREFUSED 10.0.0.5:8081 key=abc');
      },
    });
    expect(status).toBe(503);
    expect(body.status).toBe('unhealthy');
    expect(body.dependencies.cosmos).toEqual({ status: 'down', latencyMs: expect.any(Number), error: 'unreachable' });
    expect(body.dependencies.storage!.status).toBe('up');
    expect(JSON.stringify(body)).not.toMatch(/ECONNREFUSED|10\.0\.0\.5|abc/);
  });

  it('reports a dependency that hangs as down after the timeout, and aborts it', async () => {
    let aborted = false;
    const { status, body } = await health({
      storage: (signal) =>
        new Promise((resolve) => {
          signal.addEventListener('abort', () => ((aborted = true), resolve()));
        }),
    }, 50);
    expect(status).toBe(503);
    expect(body.dependencies.storage).toMatchObject({ status: 'down', error: 'timeout' });
    expect(aborted).toBe(true);
  });

  describe('system resources and queue depths', () => {
    it("reports the instance's CPU load, memory, disk free on the data folder and uptime", async () => {
      const folder = mkdtempSync(join(tmpdir(), 'health-'));
      try {
        const { status, body } = await healthWith({ systemResources: () => readSystemResources(folder) });
        expect(status).toBe(200);
        const { cpu, memory, disk, uptimeSeconds } = body.system!;
        expect(cpu.cores).toBeGreaterThan(0);
        expect(cpu.loadAverage).toHaveLength(3);
        expect(memory.totalBytes).toBeGreaterThanOrEqual(memory.freeBytes);
        expect(memory.processRssBytes).toBeGreaterThan(memory.heapUsedBytes);
        expect(disk).toEqual({ freeBytes: expect.any(Number), totalBytes: expect.any(Number) });
        expect((disk as { freeBytes: number }).freeBytes).toBeGreaterThan(0);
        expect((disk as { totalBytes: number }).totalBytes).toBeGreaterThanOrEqual((disk as { freeBytes: number }).freeBytes);
        expect(uptimeSeconds.system).toBeGreaterThanOrEqual(uptimeSeconds.process);
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    });

    it('says the disk is unreadable for a data folder that is not there, and stays healthy', async () => {
      const missing = join(tmpdir(), 'health-missing-folder-that-is-not-there');
      const { status, body } = await healthWith({ systemResources: () => readSystemResources(missing) });
      expect(status).toBe(200);
      expect(body.system!.disk).toEqual({ error: 'unreadable' });
      expect(JSON.stringify(body)).not.toContain(missing);
    });

    it("reports each declared queue's depth; a queue that cannot be read is named, never unhealthy", async () => {
      const queue = new MemoryMessageQueue();
      for (const text of ['a', 'b', 'c']) await queue.send('voice-synthesis', text);
      const failing = {
        count: async (name: string) => {
          if (name === 'broken-queue') throw new Error('connect ECONNREFUSED 10.0.0.5 key=abc');
          if (name === 'slow-queue') return new Promise<number>(() => undefined);
          return queue.count(name);
        },
      };
      const { status, body } = await healthWith({ queue: failing, catalog: { version: '9.9.9', healthQueues: ['voice-synthesis', 'voice-training', 'broken-queue', 'slow-queue'] } });
      expect(status).toBe(200);
      expect(body.queues).toEqual({ 'voice-synthesis': { depth: 3 }, 'voice-training': { depth: 0 }, 'broken-queue': { error: 'unavailable' }, 'slow-queue': { error: 'timeout' } });
      expect(JSON.stringify(body)).not.toMatch(/ECONNREFUSED|10\.0\.0\.5/);
    });

    it('through the app: the queues a manifest declares, and this instance\'s resources, in the documented shape', async () => {
      const voiceLike = defineService({ name: 'queue-owner', summary: 'declares queues', functions: [], healthQueues: ['owner-jobs', 'owner-long-jobs'] });
      const other = defineService({ name: 'queue-owner-too', summary: 'declares one again', functions: [], healthQueues: ['owner-jobs'] });
      const t = testApp({ services: [system, voiceLike, other] });
      expect(t.app.depsOf(undefined).catalog.healthQueues).toEqual(['owner-jobs', 'owner-long-jobs']);
      await t.ports.queue.send('owner-long-jobs', 'waiting');
      const handler = await t.handler<(event: unknown, context: unknown) => Promise<APIGatewayProxyResult>>('health');
      const result = await handler(httpEvent({ method: 'GET', path: '/api/health' }), lambdaContext('health'));
      const body = JSON.parse(result.body) as FullReport;
      expect(result.statusCode).toBe(200);
      expect(body.queues).toEqual({ 'owner-jobs': { depth: 0 }, 'owner-long-jobs': { depth: 1 } });
      expect(body.system).toMatchObject({ cpu: { cores: expect.any(Number) }, uptimeSeconds: { process: expect.any(Number) } });
      expect(healthFunction.trigger.responses[200]!.schema).toBeDefined();
    });
    it('names a job\'s queue as the deployment does: the voice service\'s queues, one renamed', async () => {
      const t = testApp({ services: [system, voice], env: { VOICE_SYNTHESIS_LONG_QUEUE_NAME: 'speech-long' } });
      await t.ports.queue.send('speech-long', 'waiting');
      const handler = await t.handler<(event: unknown, context: unknown) => Promise<APIGatewayProxyResult>>('health');
      const body = JSON.parse((await handler(httpEvent({ method: 'GET', path: '/api/health' }), lambdaContext('health'))).body) as FullReport;
      expect(body.queues).toEqual({ 'voice-enrollment': { depth: 0 }, 'voice-synthesis-short': { depth: 0 }, 'speech-long': { depth: 1 }, 'voice-webhooks': { depth: 0 } });
    });
  });

  describe('the built Lambda entry under plain node', () => {
    const probe = fileURLToPath(new URL('../support/health-probe.mjs', import.meta.url));
    const run = (env: Record<string, string | undefined>) => {
      const child = spawnSync(process.execPath, [probe], { env: { ...process.env, LOG_LEVEL: 'silent', ...env }, encoding: 'utf8' });
      expect(child.status).toBe(0);
      return JSON.parse(child.stdout.trim().split('\n').pop()!) as { status: number; body: HealthReport; packages: string[] };
    };

    it('loads no storage SDK when no storage is configured', () => {
      const { status, body, packages } = run({ AzureWebJobsStorage: '' });
      expect(status).toBe(200);
      expect(body.dependencies).toEqual({});
      expect(packages).not.toContain('@azure/storage-queue');
      expect(packages).toContain('@middy/core');
    });

    it('checks configured storage through the SDK, and names it when unreachable', () => {
      const unreachable =
        'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;QueueEndpoint=http://127.0.0.1:9/devstoreaccount1';
      const { status, body, packages } = run({ AzureWebJobsStorage: unreachable, HEALTH_TIMEOUT_MS: '3000' });
      expect(status).toBe(503);
      expect(body.dependencies.storage).toMatchObject({ status: 'down' });
      expect(packages).toContain('@azure/storage-queue');
    });
  });
});

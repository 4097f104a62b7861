import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { HealthReport } from '../../domain/health.ts';
import { health as healthFunction } from '../../handlers/system/functions.ts';
import { health as healthRoute, type HealthDeps } from '../../handlers/system/platform.routes.ts';
import { httpHandler } from '../../middleware/http-stack.ts';
import { httpEvent, lambdaContext, testPlatform } from '../support/platform.ts';

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

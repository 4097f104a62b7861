/** GET /api/health reports pending migrations and never turns unhealthy for them; start-up logs them. */
import { describe, expect, it } from '@jest/globals';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { logPendingMigrations } from '../../app/migrations.ts';
import { services } from '../../app/services.ts';
import garage from '../../handlers/garage/index.ts';
import system from '../../handlers/system/index.ts';
import { health as healthRoute } from '../../handlers/system/platform.routes.ts';
import { health as healthFunction } from '../../handlers/system/functions.ts';
import { httpHandler } from '../../middleware/http-stack.ts';
import { testApp } from '../support/app.ts';
import { httpEvent, lambdaContext, testPlatform } from '../support/platform.ts';
import { memoryMigrator } from './support.ts';

type Health = (event: ReturnType<typeof httpEvent>, context: ReturnType<typeof lambdaContext>) => Promise<APIGatewayProxyResult>;

describe('pending migrations in health and at start-up', () => {
  it('lists pending revisions in GET /api/health with a 200, and none once applied', async () => {
    const t = testApp({ services: [system, garage] });
    const health = await t.handler<Health>('health');
    const ask = async () => {
      const result = await health(httpEvent({ method: 'GET', path: '/api/health' }), lambdaContext('health'));
      return { status: result.statusCode, body: JSON.parse(result.body) as { status: string; migrations: unknown } };
    };
    expect(await ask()).toEqual({
      status: 200,
      body: expect.objectContaining({ status: 'healthy', migrations: { pending: ['garage.0001-initial', 'garage.0002-vehicle-mods', 'garage.0003-conversation-vehicle', 'garage.0004-conversation-messages'] } }),
    });
    await memoryMigrator({ services: [garage], documents: t.ports.documents }).migrator.up();
    expect((await ask()).body.migrations).toEqual({ pending: [] });
  });

  it('says the ledger is unavailable, still healthy, when it cannot be read', async () => {
    const inner = healthRoute({
      catalog: { version: '1', pendingMigrations: async () => Promise.reject(new Error('ECONNREFUSED 10.0.0.5')) },
      dependencyChecks: {},
      config: { healthTimeoutMs: 200 },
    });
    const result = await httpHandler(healthFunction, inner, testPlatform())(httpEvent({ method: 'GET', path: '/api/health' }), lambdaContext('health'));
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body ?? '')).toEqual({ status: 'healthy', version: '1', dependencies: {}, migrations: { error: 'unavailable' } });
  });

  it('logs the pending revisions at start-up, naming the command', async () => {
    const t = testApp({ services, env: { LOG_LEVEL: 'info' } });
    await logPendingMigrations(t.app);
    expect(t.records().find((record) => String(record.msg).startsWith('schema migrations: 4 pending'))).toMatchObject({
      pending: expect.arrayContaining(['garage.0001-initial']),
      msg: expect.stringContaining('npm run migrate -- up'),
    });
  });
});

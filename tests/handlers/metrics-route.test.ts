/**
 * GET /api/admin/metrics through the real `bind` and HTTP stack on memory ports: admins get this
 * instance's view (matching the route's response schema), a signed-in non-admin 403, anyone
 * else 401, both as problem+json with a code and the request id.
 */
import { describe, expect, it } from '@jest/globals';
import type { Factory } from '../../app/app.ts';
import { METRIC, type MetricsSnapshot } from '../../domain/metrics.ts';
import diagnostics from '../../handlers/diagnostics/index.ts';
import operations from '../../handlers/operations/index.ts';
import { getMetrics as metricsFunction } from '../../handlers/operations/functions.ts';
import { getMetrics } from '../../handlers/operations/metrics.routes.ts';
import type { HttpLambda } from '../../kernel/functions.ts';
import { compileSchema } from '../../middleware/validation.ts';
import { testApp } from '../support/app.ts';
import { httpEvent, lambdaContext } from '../support/platform.ts';

/** What `bind` passes fits the route's factory: checked when this file compiles. */
export const factories: Factory[] = [getMetrics];

async function setup() {
  const t = testApp({ services: [operations, diagnostics], env: { ADMIN_USER_IDS: 'portico|the-admin' } });
  const route = await t.handler<HttpLambda>('admin-metrics');
  const echo = await t.handler<HttpLambda>('diagnostics-echo');
  const read = (headers: Record<string, string>) => route(httpEvent({ method: 'GET', path: '/api/admin/metrics', routeKey: 'GET /admin/metrics', headers }), lambdaContext('admin-metrics'));
  const bearer = async (userId: string) => ({ authorization: `Bearer ${(await t.ports.auth.tokens.issueAccessToken({ userId })).accessToken}` });
  return { t, read, echo, bearer };
}

describe('GET /api/admin/metrics', () => {
  it("answers an admin with this instance's functions, model tokens and every counter, as its schema says", async () => {
    const { t, read, echo, bearer } = await setup();
    const post = (body: string) => echo(httpEvent({ method: 'POST', path: '/api/diagnostics/echo', routeKey: 'POST /diagnostics/echo', headers: { 'content-type': 'application/json' }, body }), lambdaContext('diagnostics-echo'));
    expect((await post('{"message":"hi"}')).statusCode).toBe(200);
    expect((await post('{"message":"hi"}')).statusCode).toBe(200);
    expect((await post('[')).statusCode).toBe(400);
    // The app's model reports into the same port.
    await t.ports.model.structured({ task: 'wardrobe.pick', messages: [{ role: 'user', content: 'pick one' }], schema: { name: 'pick', schema: { type: 'object', properties: { pick: { type: 'string' } }, required: ['pick'], additionalProperties: false } }, offline: () => ({ pick: 'navy' }) });
    t.ports.metrics.counter('wardrobe.cache.hits').add(3, { cache: 'taste' });

    const answer = await read(await bearer('the-admin'));
    expect(answer.statusCode).toBe(200);
    expect(answer.headers?.['cache-control']).toBe('no-store');
    const body = JSON.parse(answer.body ?? '') as MetricsSnapshot;
    const validate = compileSchema(metricsFunction.trigger.responses[200]!.schema!);
    expect(validate(body)).toBe(true);
    expect(body.functions['diagnostics-echo']).toMatchObject({ count: 3, errors: 1, clientErrors: 1, serverErrors: 0 });
    expect(body.functions['diagnostics-echo']!.p99).toBeGreaterThanOrEqual(body.functions['diagnostics-echo']!.p50);
    expect(body.exporting).toBe(false);
    expect(body.counters.find((view) => view.name === 'wardrobe.cache.hits')?.points).toEqual([{ attributes: { cache: 'taste' }, value: 3 }]);
    const tokens = body.counters.find((view) => view.name === METRIC.aiTokens)?.points ?? [];
    expect(tokens.map((point) => point.attributes.type)).toEqual(['input', 'output']);
    expect(tokens.every((point) => point.value > 0)).toBe(true);
    // The read itself is counted once it has answered.
    expect((JSON.parse((await read(await bearer('the-admin'))).body ?? '') as MetricsSnapshot).functions['admin-metrics']).toMatchObject({ count: 1, errors: 0 });
  });

  it('refuses a signed-in non-admin with 403 and an anonymous caller with 401, as problem+json', async () => {
    const { read, bearer } = await setup();
    for (const [headers, status, code] of [
      [await bearer('someone-else'), 403, 'forbidden'],
      [{}, 401, 'unauthorized'],
    ] as const) {
      const answer = await read({ ...headers, 'x-request-id': `req-${status}` });
      expect(answer.statusCode).toBe(status);
      expect(answer.headers?.['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(answer.body ?? '')).toMatchObject({ status, code, requestId: `req-${status}` });
      expect(answer.body).not.toContain('diagnostics-echo');
    }
  });
});

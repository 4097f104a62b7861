/**
 * The HTTP stack's metrics: every answer counts once for its function (labelled by the
 * function's name, never the path), 4xx and 5xx as errors of their class, each with a latency
 * observation; nothing is recorded when the platform has no metrics port.
 */
import { describe, expect, it } from '@jest/globals';
import { MemoryMetrics } from '../../adapters/memory/metrics.ts';
import { METRIC } from '../../domain/metrics.ts';
import { notFound } from '../../domain/errors.ts';
import { defineFunction, type HttpLambda, type HttpTrigger } from '../../kernel/functions.ts';
import { httpHandler, json, type HttpPlatform } from '../../middleware/http-stack.ts';
import { sseResponse } from '../../middleware/sse.ts';
import { httpEvent, lambdaContext, testPlatform } from '../support/platform.ts';

const allowAll: HttpPlatform['authenticate'] = async () => ({ userId: 'u1', qualifiedId: 'portico|u1', issuer: 'portico', via: 'token', roles: [], isAdmin: false });

function route(name: string, platform: HttpPlatform, auth: HttpTrigger['auth'] = 'public'): HttpLambda {
  const def = defineFunction({
    name,
    trigger: {
      kind: 'http', method: 'POST', route: 'probe/{id}', auth, summary: 'probe', responses: {},
      request: { body: { type: 'object', additionalProperties: false, properties: { n: { type: 'integer' } } } },
    },
    load: async () => ({ handler: async () => ({ statusCode: 200 }) }),
  });
  return httpHandler(def, async (event) => {
    const id = event.pathParameters?.id;
    if (id === 'missing') throw notFound();
    if (id === 'crash') throw new Error('boom');
    if (id === 'stream') return sseResponse(async function* () { yield { data: 'one' }; });
    return json(200, { id });
  }, platform);
}

function post(handler: HttpLambda, name: string, id: string, body = '{"n":1}') {
  const event = httpEvent({ method: 'POST', path: `/api/probe/${id}`, routeKey: 'POST /probe/{id}', headers: { 'content-type': 'application/json' }, body });
  return handler({ ...event, pathParameters: { id } }, lambdaContext(name));
}

describe('HTTP metrics', () => {
  it('counts requests and errors by class per function, with one latency observation per answer', async () => {
    const metrics = new MemoryMetrics();
    const platform = testPlatform({ metrics, authenticate: allowAll });
    const probe = route('probe', platform);
    const statuses = [];
    for (const id of ['a', 'b', 'missing', 'crash', 'stream']) statuses.push((await post(probe, 'probe', id)).statusCode);
    statuses.push((await post(probe, 'probe', 'c', '{"n":"x"}')).statusCode);
    statuses.push((await post(probe, 'probe', 'd', '{bad json')).statusCode);
    expect(statuses).toEqual([200, 200, 404, 500, 200, 400, 400]);
    // Another function on the same platform keeps its own series; a 401 is a client error.
    const guarded = route('guarded', testPlatform({ metrics }), 'user');
    expect((await post(guarded, 'guarded', 'a')).statusCode).toBe(401);

    const snapshot = await metrics.snapshot();
    expect(snapshot.functions.probe).toMatchObject({ count: 7, errors: 4, clientErrors: 3, serverErrors: 1 });
    expect(snapshot.functions.guarded).toMatchObject({ count: 1, errors: 1, clientErrors: 1, serverErrors: 0 });
    const latency = snapshot.histograms.find((view) => view.name === METRIC.httpDuration)?.points ?? [];
    expect(latency.map((point) => [point.attributes, point.count])).toEqual([[{ function: 'probe' }, 7], [{ function: 'guarded' }, 1]]);
    expect(latency.every((point) => point.min >= 0 && point.p50 <= point.p99 && point.p99 <= point.max)).toBe(true);
    // Labels are the function's name and the status class: no path, id or user reaches a series.
    const labels = JSON.stringify([...snapshot.counters, ...snapshot.histograms].flatMap((view) => view.points.map((point) => point.attributes)));
    for (const value of ['/api/probe', 'missing', 'u1']) expect(labels).not.toContain(value);
    expect(snapshot.counters.find((view) => view.name === METRIC.httpErrors)?.points).toEqual(
      expect.arrayContaining([
        { attributes: { function: 'probe', class: '4xx' }, value: 3 },
        { attributes: { function: 'probe', class: '5xx' }, value: 1 },
        { attributes: { function: 'guarded', class: '4xx' }, value: 1 },
      ]),
    );
  });

  it('records nothing, and answers the same, without a metrics port', async () => {
    const probe = route('probe', testPlatform({ authenticate: allowAll }));
    expect((await post(probe, 'probe', 'a')).statusCode).toBe(200);
    expect((await post(probe, 'probe', 'crash')).statusCode).toBe(500);
  });
});

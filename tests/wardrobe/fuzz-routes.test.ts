/**
 * Property, over every wardrobe route that takes a body (read from the function table, so a new
 * route is fuzzed without being listed): whatever a client sends — any JSON, JSON shaped like the
 * route's schema with wrong values, bytes, a bad content type — the answer is never a 5xx, every
 * refusal is problem+json, and a refused request stores nothing (no document, blob or queue
 * message written). Runs through the real composition root on memory ports that note writes.
 * FUZZ_RUNS sets the runs per route (bench-sized runs go through the same file).
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import wardrobe from '../../handlers/wardrobe/index.ts';
import type { HttpLambda, HttpTrigger } from '../../kernel/functions.ts';
import { httpEvent, lambdaContext } from '../support/platform.ts';
import { testApp } from '../support/app.ts';
import { testClock } from '../support/jobs.ts';
import { fakeModel } from './items/support.ts';
import { recordingPorts } from './support/recording-ports.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 100);

const clock = testClock();
const recorded = recordingPorts(clock);
const t = testApp({ services: [wardrobe], ports: { clock, documents: recorded.documents, blobs: recorded.blobs, queue: recorded.queue, model: fakeModel((offline) => offline()) } });

const bodyRoutes = wardrobe.functions.filter((def) => def.trigger.kind === 'http' && ['POST', 'PUT', 'PATCH'].includes((def.trigger as HttpTrigger).method));

let token = '';
beforeAll(async () => {
  token = (await t.ports.auth.tokens.issueAccessToken({ userId: 'fuzz-user' })).accessToken;
});

/** The schema's property names, so generated objects use the route's own keys with wrong values too. */
function keysOf(trigger: HttpTrigger): string[] {
  const schema = trigger.request?.body as { properties?: Record<string, unknown> } | undefined;
  return Object.keys(schema?.properties ?? {});
}

function bodies(trigger: HttpTrigger): fc.Arbitrary<{ text: string; contentType: string }> {
  const keys = keysOf(trigger);
  const shaped = keys.length > 0 ? fc.dictionary(fc.constantFrom(...keys, '__proto__', 'constructor', 'userId', 'id'), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 8 }) : fc.object();
  const text = fc.oneof(
    fc.jsonValue({ maxDepth: 5 }).map((value) => JSON.stringify(value)),
    shaped.map((value) => JSON.stringify(value)),
    fc.string({ maxLength: 120 }),
    fc.uint8Array({ maxLength: 160 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
  );
  const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'multipart/form-data; boundary=x', 'image/jpeg', '');
  return fc.record({ text, contentType });
}

/** Path parameters: random text, or an id shaped like the wardrobe's. */
const pathValue = fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.stringMatching(/^[0-9a-f]{32}$/), fc.constant('upload-0123456789abcdef0123456789abcdef'));

describe('fuzzing every wardrobe route that takes a body', () => {
  it('has routes to fuzz, and the recorder sees a write when one happens', async () => {
    expect(bodyRoutes.length).toBeGreaterThan(5);
    recorded.reset();
    await recorded.documents.repository({ name: 'recorder-check', partitionKey: 'id' }).upsert({ id: 'x' });
    await recorded.blobs.put('recorder-check', 'x', new Uint8Array([1]), 'application/octet-stream');
    expect(recorded.writes).toEqual(['recorder-check.upsert', 'blobs.put']);
  });

  for (const def of bodyRoutes) {
    const trigger = def.trigger as HttpTrigger;
    const params = [...trigger.route.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
    it(`${trigger.method} /api/${trigger.route}: no 5xx, problem+json refusals, nothing stored when refused (${RUNS} runs)`, async () => {
      const handler = await t.handler<HttpLambda>(def.name);
      await fc.assert(
        fc.asyncProperty(bodies(trigger), fc.array(pathValue, { minLength: params.length, maxLength: params.length }), async ({ text, contentType }, values) => {
          const pathParameters = Object.fromEntries(params.map((name, index) => [name, values[index]!]));
          const path = `/api/${trigger.route.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(pathParameters[name]!))}`;
          recorded.reset();
          const event = {
            ...httpEvent({ method: trigger.method, path, headers: { authorization: `Bearer ${token}`, ...(contentType ? { 'content-type': contentType } : {}) }, body: text }),
            ...(params.length > 0 ? { pathParameters } : {}),
          };
          const result = await handler(event, lambdaContext());
          const status = result.statusCode ?? 0;
          expect({ route: trigger.route, status, body: status >= 500 ? result.body : '' }).toEqual({ route: trigger.route, status: expect.any(Number), body: '' });
          expect(status).toBeLessThan(500);
          if (status >= 400) {
            expect(result.headers?.['content-type']).toBe('application/problem+json');
            expect({ route: trigger.route, status, writes: recorded.writes }).toEqual({ route: trigger.route, status, writes: [] });
          }
        }),
        { numRuns: RUNS },
      );
    }, 120_000);
  }
});

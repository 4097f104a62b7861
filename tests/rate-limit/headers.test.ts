/**
 * Every answer of a rate-limited route carries RateLimit-Limit/-Remaining/-Reset, as documented
 * (docs/architecture.md section 6): problems too, through the real standard stack.
 */
import { describe, expect, it } from '@jest/globals';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { MemoryDocumentStore } from '../../adapters/memory/documents.ts';
import { notFound, unauthorized } from '../../domain/errors.ts';
import type { Identity } from '../../middleware/context.ts';
import { loadRateLimits, RateLimiter } from '../../middleware/rate-limit.ts';
import { httpEvent, lambdaContext, testPlatform } from '../support/platform.ts';
import { serve } from './support.ts';

const T0 = Date.UTC(2026, 10, 22, 10, 0, 0);
/** The `default` limit: 3 per minute. */
const LIMITS = { RATE_LIMIT_DEFAULT: '3' };

function fakeClock(now: number) {
  return { now: () => new Date(now) };
}

const user = (id: string): Identity => ({ userId: id, qualifiedId: `portico|${id}`, issuer: 'portico', via: 'token', roles: ['user'], isAdmin: false });

describe('RateLimit headers on every answer of a limited route', () => {
  it('every answer carries the RateLimit headers, refusals too: a 400 body, a 401 token, a 404 from the handler, each counted', async () => {
    const clock = fakeClock(T0 + 15_000);
    const rateLimits = { config: loadRateLimits(LIMITS), limiter: new RateLimiter({ store: new MemoryDocumentStore(clock), clock }) };
    // A signed-in route with a body: "Bearer good" is alice, anything else a 401; the handler finds nothing.
    const platform = testPlatform({
      rateLimits,
      authenticate: async (event) => {
        if (event.headers?.authorization !== 'Bearer good') throw unauthorized('The token is not valid.');
        return user('alice');
      },
    });
    const body = { type: 'object', required: ['name'], additionalProperties: false, properties: { name: { type: 'string' } } };
    const handler = serve({ auth: 'user', request: { body } }, async () => {
      throw notFound('No such item.');
    }, platform);
    const call = async (headers: Record<string, string>, payload: unknown) => {
      const event = httpEvent({ method: 'POST', path: '/api/test', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(payload) });
      event.requestContext.http.sourceIp = '203.0.113.9';
      return (await handler(event, lambdaContext())) as APIGatewayProxyStructuredResultV2;
    };
    const invalid = await call({ authorization: 'Bearer good' }, { name: 42 });
    const forged = await call({ authorization: 'Bearer forged' }, { name: 'coat' });
    const missing = await call({ authorization: 'Bearer good' }, { name: 'coat' });
    expect([invalid, forged, missing].map((reply) => reply.statusCode)).toEqual([400, 401, 404]);
    for (const reply of [invalid, forged, missing]) {
      expect(reply.headers?.['content-type']).toBe('application/problem+json');
      expect(reply.headers).toMatchObject({ 'ratelimit-limit': '3', 'ratelimit-reset': '45' });
    }
    // The 400 and the 401 came before sign-in was known: they counted under the address (2 of 3).
    // The 404 counted under alice, who had used none.
    expect([invalid, forged, missing].map((reply) => reply.headers?.['ratelimit-remaining'])).toEqual(['2', '1', '2']);
    // The address has one left, then it is refused like any caller over its limit.
    expect((await call({}, { name: 1 })).headers?.['ratelimit-remaining']).toBe('0');
    const refused = await call({}, { name: 1 });
    expect(refused.statusCode).toBe(400); // a refusal keeps its own status...
    expect(refused.headers).toMatchObject({ 'ratelimit-remaining': '0' }); // ...and says the limit is spent
    expect((await call({ authorization: 'Bearer good' }, { name: 'coat' })).headers?.['ratelimit-remaining']).toBe('1');
  });

  it('a 5xx from the handler carries the headers of the count it made', async () => {
    const clock = fakeClock(T0 + 15_000);
    const rateLimits = { config: loadRateLimits(LIMITS), limiter: new RateLimiter({ store: new MemoryDocumentStore(clock), clock }) };
    const failing = serve({}, async () => {
      throw new Error('a bug');
    }, testPlatform({ rateLimits }));
    const reply = (await failing(httpEvent({ method: 'POST', path: '/api/test' }), lambdaContext())) as APIGatewayProxyStructuredResultV2;
    expect(reply.statusCode).toBe(500);
    expect(reply.headers?.['ratelimit-remaining']).toBe('2');
  });
});

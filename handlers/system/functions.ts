/** The system service: health, a diagnostic echo that exercises the whole stack, and CORS preflight. */
import { defineFunction } from '../../app/define.ts';
import { echoRequest, echoResponse, healthResponse } from './schemas.ts';

const problem = { description: 'Problem details (application/problem+json)' };

export const health = defineFunction({
  name: 'health',
  trigger: {
    kind: 'http',
    method: 'GET',
    route: 'health',
    auth: 'public',
    // Probes from load balancers and monitors must never be throttled.
    rateLimit: false,
    summary: 'Service health with the status and latency of each dependency.',
    responses: {
      200: { description: 'Healthy', schema: healthResponse },
      503: { description: 'A dependency is down; the body names it', schema: healthResponse },
    },
  },
  handler: 'handlers/system/health',
});

export const echo = defineFunction({
  name: 'diagnostics-echo',
  trigger: {
    kind: 'http',
    method: 'POST',
    route: 'diagnostics/echo',
    auth: 'public',
    summary: 'Echoes a validated message: proves parsing, validation, CORS and tracing end to end.',
    request: { body: echoRequest },
    responses: { 200: { description: 'The validated message', schema: echoResponse }, 400: problem, 413: problem, 415: problem },
  },
  handler: 'handlers/system/echo',
});

export const preflight = defineFunction({
  name: 'cors-preflight',
  trigger: {
    kind: 'http',
    method: 'OPTIONS',
    route: '{proxy+}',
    auth: 'public',
    rateLimit: false,
    summary: 'CORS preflight for every route; allowed origins come from CORS_ALLOWED_ORIGINS.',
    responses: { 204: { description: 'Preflight answer' } },
  },
  handler: 'handlers/system/preflight',
});

export const openApi = defineFunction({
  name: 'openapi',
  trigger: {
    kind: 'http',
    method: 'GET',
    route: 'openapi.json',
    auth: 'public',
    summary: 'This API document (OpenAPI 3.1), generated from the function table.',
    responses: { 200: { description: 'The OpenAPI document' } },
  },
  handler: 'handlers/system/openapi',
});

/** Hourly: fans out one purge job per container (jobs are idempotent per container and slot). */
export const purgeExpired = defineFunction({
  name: 'purge-expired',
  trigger: { kind: 'timer', schedule: '0 0 * * * *' },
  handler: 'handlers/system/purge-expired',
});

export const systemFunctions = [health, echo, preflight, openApi, purgeExpired];

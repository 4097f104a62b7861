/** The system service: health, a diagnostic echo that exercises the whole stack, and CORS preflight. */
import { defineFunction } from '../../kernel/functions.ts';
import { echoRequest, echoResponse, healthResponse } from './schemas.ts';
import { inspectRequest, inspectResponse } from './schemas.ts';

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
  handler: 'handlers/system/platform.routes#health',
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
  handler: 'handlers/system/diagnostics.routes#echo',
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
  handler: 'handlers/system/platform.routes#preflight',
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
  handler: 'handlers/system/platform.routes#openApi',
});

/**
 * Diagnostics for gateways, CDNs and the conformance suite: what a request looked like after the
 * platform mapped it (method, path parameter, query, a fixed set of harmless headers, cookie names
 * and digests, never values or credentials), answered with two cookies.
 */
export const inspect = defineFunction({
  name: 'diagnostics-inspect',
  trigger: {
    kind: 'http',
    method: 'GET',
    route: 'diagnostics/inspect/{id}',
    auth: 'public',
    summary: 'Reports how the request arrived (method, path parameter, query, selected headers, cookie digests) and sets two cookies.',
    responses: { 200: { description: 'What the handler saw', schema: inspectResponse }, 400: problem },
  },
  handler: 'handlers/system/diagnostics.routes#inspect',
});

export const inspectPost = defineFunction({
  name: 'diagnostics-inspect-post',
  trigger: {
    kind: 'http',
    method: 'POST',
    route: 'diagnostics/inspect/{id}',
    auth: 'public',
    summary: 'As GET, for a validated JSON body whose note is reported back.',
    request: { body: inspectRequest },
    responses: { 200: { description: 'What the handler saw', schema: inspectResponse }, 400: problem, 413: problem, 415: problem },
  },
  handler: 'handlers/system/diagnostics.routes#inspect',
});

export const binaryEcho = defineFunction({
  name: 'diagnostics-binary',
  trigger: {
    kind: 'http',
    method: 'POST',
    route: 'diagnostics/binary',
    auth: 'public',
    summary: 'Echoes the request body back byte for byte as application/octet-stream (204 for an empty body).',
    maxBodyBytes: 64 * 1024,
    responses: { 200: { description: 'The same bytes' }, 204: { description: 'The body was empty' }, 413: problem },
  },
  handler: 'handlers/system/diagnostics.routes#binary',
});

/** Bounds keep the longest stream (50 ticks x 2 s) well inside the stream time limit. */
export const STREAM_MAX_COUNT = 50;
export const STREAM_MAX_INTERVAL_MS = 2000;

export const diagnosticsStream = defineFunction({
  name: 'diagnostics-stream',
  trigger: {
    kind: 'http',
    method: 'GET',
    route: 'diagnostics/stream',
    auth: 'public',
    stream: true,
    summary: 'Streams Server-Sent Events: `count` tick events `intervalMs` apart, then a done event. Proves streaming on every runtime.',
    request: {
      query: {
        type: 'object',
        additionalProperties: false,
        properties: {
          count: { type: 'integer', minimum: 0, maximum: STREAM_MAX_COUNT, default: 3 },
          intervalMs: { type: 'integer', minimum: 0, maximum: STREAM_MAX_INTERVAL_MS, default: 100 },
        },
      },
    },
    responses: { 200: { description: 'text/event-stream: `tick` events ({ n, of }), then `done` ({ count, requestId })' }, 400: problem },
  },
  handler: 'handlers/system/diagnostics.routes#stream',
});

/** Hourly: fans out one purge job per container (jobs are idempotent per container and slot). */
export const purgeExpired = defineFunction({
  name: 'purge-expired',
  trigger: { kind: 'timer', schedule: '0 0 * * * *' },
  handler: 'handlers/system/purge.timer#purgeExpired',
});

export const systemFunctions = [health, echo, preflight, openApi, inspect, inspectPost, binaryEcho, diagnosticsStream, purgeExpired];

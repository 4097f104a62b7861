/**
 * The diagnostics service: routes that exercise the whole stack and every runtime's mapping
 * (parsing, validation, CORS, cookies, binary bodies, streaming). The conformance suite and the
 * benchmarks call them.
 */
import { defineFunction } from '../../kernel/functions.ts';
import { echoRequest, echoResponse, inspectRequest, inspectResponse } from './schemas.ts';

const problem = { description: 'Problem details (application/problem+json)' };

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
  handler: 'handlers/diagnostics/diagnostics.routes#echo',
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
  handler: 'handlers/diagnostics/diagnostics.routes#inspect',
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
  handler: 'handlers/diagnostics/diagnostics.routes#inspect',
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
  handler: 'handlers/diagnostics/diagnostics.routes#binary',
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
  handler: 'handlers/diagnostics/diagnostics.routes#stream',
});

export const diagnosticsFunctions = [echo, inspect, inspectPost, binaryEcho, diagnosticsStream];

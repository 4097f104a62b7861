/**
 * One set of HTTP cases, run through every caller (direct Lambda invocation, the Azure adapter
 * with real @azure/functions objects, the local host over real HTTP). Each caller must give
 * the same observable result.
 */
export const ORIGIN = 'https://app.example.com';

export interface ConformanceCase {
  name: string;
  function: string;
  method: string;
  path: string;
  query?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export const cases: ConformanceCase[] = [
  { name: 'health', function: 'health', method: 'GET', path: '/api/health' },
  {
    name: 'valid JSON with an allowed origin',
    function: 'diagnostics-echo',
    method: 'POST',
    path: '/api/diagnostics/echo',
    headers: { 'content-type': 'application/json', origin: ORIGIN, 'x-request-id': 'conf-1' },
    body: '{"message":"héllo","tags":["a"]}',
  },
  {
    name: 'malformed JSON',
    function: 'diagnostics-echo',
    method: 'POST',
    path: '/api/diagnostics/echo',
    headers: { 'content-type': 'application/json', origin: ORIGIN },
    body: '{"message":',
  },
  {
    name: 'wrong content type from a foreign origin',
    function: 'diagnostics-echo',
    method: 'POST',
    path: '/api/diagnostics/echo',
    headers: { 'content-type': 'text/plain', origin: 'https://evil.example.com' },
    body: 'hello',
  },
  {
    name: 'an extra field, ignoring the query string',
    function: 'diagnostics-echo',
    method: 'POST',
    path: '/api/diagnostics/echo',
    query: 'a=1&a=2',
    headers: { 'content-type': 'application/json' },
    body: '{"message":"x","admin":true}',
  },
  {
    name: 'binary body sent to a JSON route',
    function: 'diagnostics-echo',
    method: 'POST',
    path: '/api/diagnostics/echo',
    headers: { 'content-type': 'application/json' },
    body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]),
  },
  {
    name: 'CORS preflight',
    function: 'cors-preflight',
    method: 'OPTIONS',
    path: '/api/diagnostics/echo',
    headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  },
];

export interface Observed {
  status: number;
  headers: Record<string, string | undefined>;
  body: unknown;
}

const COMPARED_HEADERS = [
  'content-type',
  'vary',
  'access-control-allow-origin',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'x-content-type-options',
  'cache-control',
];

/** Drops what legitimately differs per call (generated ids, clocks, timings). */
export function normalize(observed: Observed): Observed {
  const headers = Object.fromEntries(COMPARED_HEADERS.map((name) => [name, observed.headers[name]]));
  const body = JSON.parse(JSON.stringify(observed.body ?? null), (key, value: unknown) => {
    if (key === 'receivedAt' || key === 'latencyMs') return '<varies>';
    if (key === 'requestId' && value !== 'conf-1') return '<generated>';
    return value;
  }) as unknown;
  return { status: observed.status, headers, body };
}

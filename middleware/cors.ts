/**
 * CORS with an exact-match allowlist (CORS_ALLOWED_ORIGINS). An origin that is not listed gets
 * no CORS headers at all, never a fallback origin. `Vary: Origin` is always set so caches keep
 * answers for different origins apart. Runs on errors too, so a browser can read the problem.
 */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

const ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';
const HEADER_LIST = /^[A-Za-z0-9-]+(\s*,\s*[A-Za-z0-9-]+)*$/;
const PREFLIGHT_MAX_AGE_SECONDS = '600';

function appendVary(headers: Record<string, string | number | boolean>, value: string): string {
  const current = String(headers.vary ?? '');
  if (current.split(',').some((item) => item.trim().toLowerCase() === value.toLowerCase())) return current;
  return current ? `${current}, ${value}` : value;
}

export function cors(allowedOrigins: readonly string[]): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  const allowed = new Set(allowedOrigins);
  const apply = (request: { event: APIGatewayProxyEventV2; response?: APIGatewayProxyStructuredResultV2 | null | undefined }) => {
    const response = request.response;
    if (!response) return;
    const headers: Record<string, string | number | boolean> = { ...response.headers };
    headers.vary = appendVary(headers, 'Origin');
    const origin = request.event.headers?.origin;
    if (origin && allowed.has(origin)) {
      headers['access-control-allow-origin'] = origin;
      headers['access-control-allow-credentials'] = 'true';
      headers['access-control-expose-headers'] = 'x-request-id, retry-after, location, etag, ratelimit-limit, ratelimit-remaining, ratelimit-reset';
      const requestedMethod = request.event.headers['access-control-request-method'];
      if (request.event.requestContext.http.method === 'OPTIONS' && requestedMethod) {
        headers['access-control-allow-methods'] = ALLOWED_METHODS;
        const requestedHeaders = request.event.headers['access-control-request-headers'];
        if (requestedHeaders && HEADER_LIST.test(requestedHeaders)) headers['access-control-allow-headers'] = requestedHeaders;
        headers['access-control-max-age'] = PREFLIGHT_MAX_AGE_SECONDS;
      }
    }
    response.headers = headers;
  };
  return { after: apply, onError: apply };
}

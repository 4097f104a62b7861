/** Hardening headers for a JSON API; set on successes and errors alike, never overriding a handler's own. */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'cache-control': 'no-store',
};

export function securityHeaders(): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  const apply = (request: { response?: APIGatewayProxyStructuredResultV2 | null | undefined }) => {
    if (request.response) request.response.headers = { ...SECURITY_HEADERS, ...request.response.headers };
  };
  return { after: apply, onError: apply };
}

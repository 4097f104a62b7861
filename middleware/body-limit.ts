/** Refuses bodies over the configured size with 413 before anything parses them. */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { AppError } from '../domain/errors.ts';

export function bodyBytes(event: Pick<APIGatewayProxyEventV2, 'body' | 'isBase64Encoded'>): number {
  const body = event.body ?? '';
  if (!event.isBase64Encoded) return Buffer.byteLength(body, 'utf8');
  const padding = body.endsWith('==') ? 2 : body.endsWith('=') ? 1 : 0;
  return Math.floor((body.length * 3) / 4) - padding;
}

export function bodyLimit(maxBytes: number): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  return {
    before: (request) => {
      const declared = Number(request.event.headers?.['content-length'] ?? 0);
      if (declared > maxBytes || bodyBytes(request.event) > maxBytes) {
        throw new AppError(413, 'body_too_large', `The request body is larger than ${maxBytes} bytes.`);
      }
    },
  };
}

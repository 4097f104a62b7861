/**
 * POST /api/diagnostics/binary: echoes the body back byte for byte as application/octet-stream,
 * proving that binary travels base64-encoded both ways on every runtime. The route's body limit
 * (64 KiB) bounds it; an empty body answers 204.
 */
import type { HttpLambda, HttpResult } from '../../kernel/functions.ts';
import { getHttpPlatform } from '../../app/composition.ts';
import { httpHandler, type HttpPlatform } from '../../middleware/http-stack.ts';
import { binaryEcho } from './functions.ts';

export function createHandler(deps: { platform: HttpPlatform }): HttpLambda {
  return httpHandler(
    binaryEcho,
    async (event): Promise<HttpResult> => {
      // No body at all is `undefined` from API Gateway, `null` from serverless-offline (and REST APIs).
      const bytes = event.body ? Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8') : Buffer.alloc(0);
      if (bytes.length === 0) return { statusCode: 204, headers: {}, body: '' };
      return { statusCode: 200, headers: { 'content-type': 'application/octet-stream' }, body: bytes.toString('base64'), isBase64Encoded: true };
    },
    deps.platform,
  );
}

export const handler: HttpLambda = createHandler({ platform: getHttpPlatform() });

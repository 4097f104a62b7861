import type { HttpLambda } from '../../kernel/functions.ts';
import { getHttpPlatform } from '../../app/composition.ts';
import { httpHandler, type HttpPlatform } from '../../middleware/http-stack.ts';
import { preflight } from './functions.ts';

/** The CORS middleware adds the allow-* headers for listed origins; the answer itself is empty. */
export function createHandler(deps: { platform: HttpPlatform }): HttpLambda {
  return httpHandler(preflight, async () => ({ statusCode: 204, headers: {}, body: '' }), deps.platform);
}

export const handler: HttpLambda = createHandler({ platform: getHttpPlatform() });

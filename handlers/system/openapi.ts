/** GET /api/openapi.json: the API document, built from the function table once per cold start. */
import type { HttpLambda } from '../../kernel/functions.ts';
import { getHttpPlatform } from '../../app/composition.ts';
import { openApiDocument } from '../../app/openapi.ts';
import { version } from '../../app/project.ts';
import { httpHandler, json, type HttpPlatform } from '../../middleware/http-stack.ts';
import { openApi } from './functions.ts';

export function createHandler(deps: { platform: HttpPlatform; document: () => Promise<unknown> }): HttpLambda {
  let cached: Promise<unknown> | undefined;
  return httpHandler(openApi, async () => json(200, await (cached ??= deps.document()), { 'cache-control': 'public, max-age=300' }), deps.platform);
}

export const handler: HttpLambda = createHandler({
  platform: getHttpPlatform(),
  // The table is imported on first use: it imports this module's definitions.
  document: async () => openApiDocument((await import('../../app/functions.ts')).functions, { version }),
});

/**
 * A route served by the real standard stack (middleware/http-stack.ts): the rate limits come
 * from the route definition and `platform.rateLimits`, exactly as httpHandler wires them.
 */
import { defineFunction, type FunctionDef, type HttpLambda, type HttpTrigger } from '../../kernel/functions.ts';
import { httpHandler, type HttpPlatform, type PorticoHttpHandler } from '../../middleware/http-stack.ts';

/** POST /api/test, public, unless `trigger` says otherwise. */
export function serve<TBody>(trigger: Partial<HttpTrigger>, handler: PorticoHttpHandler<TBody>, platform: HttpPlatform): HttpLambda {
  const def: FunctionDef<HttpTrigger> = defineFunction<HttpTrigger>({
    name: 'rate-limit-test',
    trigger: { kind: 'http', method: 'POST', route: 'test', auth: 'public', summary: 'test', responses: {}, ...trigger },
    load: async () => ({ handler: lambda }),
  });
  const lambda: HttpLambda = httpHandler(def, handler, platform);
  return lambda;
}

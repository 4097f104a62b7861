/**
 * The standard HTTP stack of middleware/http-stack.ts, rebuilt here with two insertion points,
 * so these tests run the rate-limit and webhook middlewares exactly where httpHandler will place
 * them (DESIGN.md section 4): `beforeParse` between the body limit and the JSON parser (webhook
 * signatures), `afterValidation` between validation and auth (credential limits), `afterAuth`
 * between auth and the handler (route limits).
 */
import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { HttpLambda, HttpResult, HttpTrigger } from '../../app/define.ts';
import { auth } from '../../middleware/auth.ts';
import { bodyLimit } from '../../middleware/body-limit.ts';
import type { PorticoHttpEvent } from '../../middleware/context.ts';
import { cors } from '../../middleware/cors.ts';
import type { HttpPlatform, PorticoHttpHandler } from '../../middleware/http-stack.ts';
import { jsonBody } from '../../middleware/json-body.ts';
import { problemErrors } from '../../middleware/problem-errors.ts';
import { securityHeaders } from '../../middleware/security-headers.ts';
import { telemetry } from '../../middleware/telemetry.ts';
import { validation } from '../../middleware/validation.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyMiddleware = MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, any, Context>;

export interface Insertions {
  beforeParse?: AnyMiddleware[];
  afterValidation?: AnyMiddleware[];
  afterAuth?: AnyMiddleware[];
}

export function trigger(extra: Partial<HttpTrigger> = {}): HttpTrigger {
  return { kind: 'http', method: 'POST', route: 'test', auth: 'public', summary: 'test', responses: {}, ...extra };
}

export function stack<TBody>(
  route: HttpTrigger,
  handler: PorticoHttpHandler<TBody>,
  platform: HttpPlatform,
  insert: Insertions = {},
): HttpLambda {
  return middy(handler as unknown as (event: PorticoHttpEvent, context: Context) => Promise<HttpResult>)
    .use(telemetry(platform.logger))
    .use(securityHeaders())
    .use(cors(platform.corsAllowedOrigins))
    .use(problemErrors())
    .use(bodyLimit(platform.maxBodyBytes))
    .use(insert.beforeParse ?? [])
    .use(jsonBody(Boolean(route.request?.body)))
    .use(validation(route.request))
    .use(insert.afterValidation ?? [])
    .use(auth(route.auth, platform.authenticate))
    .use(insert.afterAuth ?? []) as unknown as HttpLambda;
}

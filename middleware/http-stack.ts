/**
 * The standard HTTP stack (DESIGN.md section 4), outermost first. Every HTTP handler is wired
 * through `httpHandler`, so the order is decided here once and cannot drift per service.
 */
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { FunctionDef, HttpLambda, HttpResult, HttpTrigger } from '../app/define.ts';
import { auth, type Authenticator } from './auth.ts';
import { bodyLimit } from './body-limit.ts';
import type { PorticoContext, PorticoHttpEvent } from './context.ts';
import { cors } from './cors.ts';
import { jsonBody } from './json-body.ts';
import type { Logger } from './logger.ts';
import { problemErrors } from './problem-errors.ts';
import { securityHeaders } from './security-headers.ts';
import { telemetry } from './telemetry.ts';
import { validation } from './validation.ts';

/** What the stack needs from the platform; built once by the composition root. */
export interface HttpPlatform {
  logger: Logger;
  corsAllowedOrigins: readonly string[];
  maxBodyBytes: number;
  authenticate: Authenticator;
}

export type PorticoHttpHandler<TBody = unknown> = (
  event: PorticoHttpEvent<TBody>,
  context: PorticoContext,
) => Promise<HttpResult>;

export function httpHandler<TBody>(
  def: FunctionDef<HttpTrigger>,
  handler: PorticoHttpHandler<TBody>,
  platform: HttpPlatform,
): HttpLambda {
  const { auth: authClass, request } = def.trigger;
  return middy(handler as unknown as (event: PorticoHttpEvent, context: Context) => Promise<HttpResult>)
    .use(telemetry(platform.logger))
    .use(securityHeaders())
    .use(cors(platform.corsAllowedOrigins))
    .use(problemErrors())
    .use(bodyLimit(platform.maxBodyBytes))
    .use(jsonBody(Boolean(request?.body)))
    .use(validation(request))
    .use(auth(authClass, platform.authenticate)) as unknown as HttpLambda;
}

/** A JSON response. */
export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return { statusCode, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(body) };
}

/**
 * The standard HTTP stack (docs/architecture.md section 4), outermost first. Every HTTP handler is wired
 * through `httpHandler`, so the order is decided here once and cannot drift per service.
 */
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { FunctionDef, HttpLambda, HttpResult, HttpTrigger } from '../kernel/functions.ts';
import { auth, type Authenticator } from './auth.ts';
import { bodyLimit } from './body-limit.ts';
import type { PorticoContext, PorticoHttpEvent } from './context.ts';
import { cors } from './cors.ts';
import { jsonBody } from './json-body.ts';
import type { Logger } from './logger.ts';
import { problemErrors } from './problem-errors.ts';
import { securityHeaders } from './security-headers.ts';
import type { StreamingHttpResult } from './sse.ts';
import { httpMetrics, telemetry } from './telemetry.ts';
import { validation } from './validation.ts';
import { credentialLimits, rateLimit, routeRateLimit, type RateLimitConfig, type RateLimiter } from './rate-limit.ts';
import { loadWebhookSecrets, skipDuplicateWebhooks, webhookSecretsSet, webhookSignature } from './webhooks.ts';
import { AppError } from '../domain/errors.ts';
import type { Clock, DocumentStore } from '../domain/ports.ts';
import type { Metrics } from '../domain/metrics.ts';

/** What the stack needs from the platform; built once by the composition root. */
export interface HttpPlatform {
  logger: Logger;
  /** Requests, errors by class and latency per function; absent: nothing recorded (unit tests). */
  metrics?: Metrics;
  corsAllowedOrigins: readonly string[];
  maxBodyBytes: number;
  authenticate: Authenticator;
  /** Absent: no rate limiting (unit tests). */
  rateLimits?: { config: RateLimitConfig; limiter: RateLimiter };
  /** Where webhook ids are kept for replay detection; required by routes that declare `webhook`. */
  webhooks?: { store: DocumentStore; clock?: Clock; env?: Record<string, string | undefined> };
}

/**
 * A handler answers with a result, or with a streamed body (`sseResponse`). The middlewares only
 * touch status and headers, so a streamed result passes them like any other: security headers,
 * CORS and the request id apply to it, and errors thrown before it returns are problem+json.
 * The wired handler's type stays `HttpLambda`; the runtime adapters check `isStreamingResult`.
 */
export type PorticoHttpHandler<TBody = unknown> = (
  event: PorticoHttpEvent<TBody>,
  context: PorticoContext,
) => Promise<HttpResult | StreamingHttpResult>;

export function httpHandler<TBody>(
  def: FunctionDef<HttpTrigger>,
  handler: PorticoHttpHandler<TBody>,
  platform: HttpPlatform,
): HttpLambda {
  const { auth: authClass, request, webhook } = def.trigger;
  const limits = platform.rateLimits;
  const limit = limits && routeRateLimit(limits.config, def.trigger);
  if (webhook && !platform.webhooks) throw new Error(`${def.name} verifies webhooks, but the platform has no webhook store.`);
  const inner = webhook ? skipDuplicateWebhooks(handler) : handler;
  const limiter = limit ? rateLimit({ limit, store: limits.limiter, trustedProxyHops: limits.config.trustedProxyHops, failClosed: Boolean(def.trigger.rateLimitFailClosed), logger: platform.logger }) : undefined;
  return middy(inner as unknown as (event: PorticoHttpEvent, context: Context) => Promise<HttpResult>)
    .use(telemetry(platform.logger, httpMetrics(platform.metrics, def.name)))
    .use(securityHeaders())
    .use(cors(platform.corsAllowedOrigins))
    // Outside the problem renderer, so its answers (400, 401, 404, 429) carry the RateLimit headers too.
    .use(limiter ? [limiter.report] : [])
    .use(problemErrors(def.trigger.problemMembers))
    .use(bodyLimit(def.trigger.maxBodyBytes ?? platform.maxBodyBytes))
    // Signatures cover the raw bytes, so they are checked before anything parses the body.
    .use(webhook && platform.webhooks ? [webhookCheck(webhook, platform.webhooks, platform.logger)] : [])
    .use(jsonBody(Boolean(request?.body), Boolean(request?.optionalBody)))
    .use(validation(request))
    // Per address, and failed guesses per e-mail and address, before the credentials are even checked.
    .use(
      limits?.config.enabled && def.trigger.credentialLimits
        ? [credentialLimits({ store: limits.limiter, trustedProxyHops: limits.config.trustedProxyHops, ...credentialSpecs(limits.config) })]
        : [],
    )
    .use(auth(authClass, platform.authenticate, def.trigger.roles))
    // After auth, so a signed-in caller is limited as itself rather than by address.
    .use(limiter ? [limiter.count] : []) as unknown as HttpLambda;
}

/**
 * The signature check of a webhook route; an optional one whose secrets are not set refuses
 * every delivery with 503 `not_configured` (nothing unsigned is ever let through).
 */
function webhookCheck(webhook: NonNullable<HttpTrigger['webhook']>, webhooks: NonNullable<HttpPlatform['webhooks']>, logger: Logger) {
  if (webhook.optional && !webhookSecretsSet(webhook.secretsVariable, webhooks.env)) {
    return {
      before: async () => {
        throw new AppError(503, 'not_configured', `Webhooks to this route are not configured (${webhook.secretsVariable}).`);
      },
    };
  }
  const secrets = loadWebhookSecrets(webhook.secretsVariable, webhooks.env);
  return webhookSignature({ secrets, store: webhooks.store, ...(webhooks.clock ? { clock: webhooks.clock } : {}), scope: webhook.secretsVariable, logger });
}

function credentialSpecs(config: RateLimitConfig) {
  const perEmailAddress = config.limits.get('credential-email-address');
  const perEmail = config.limits.get('credential-email');
  const perAddress = config.limits.get('credential-address');
  return { ...(perEmailAddress ? { perEmailAddress } : {}), ...(perEmail ? { perEmail } : {}), ...(perAddress ? { perAddress } : {}) };
}

/** A JSON response. */
export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return { statusCode, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(body) };
}

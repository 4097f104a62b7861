/**
 * Signed webhooks (Standard Webhooks): the HMAC check on the raw body, before anything parses
 * it, and exactly-once handling of each `webhook-id` across instances and the sender's retries.
 *
 * A delivery's id is claimed in the `webhook-deliveries` container before the handler runs
 * (a create, so only one instance wins), marked done when the handler answers 2xx, and released
 * when it fails or answers otherwise, so the sender's retry can run it again. A delivery whose
 * id is done is acknowledged without running the handler; one whose id is still in progress
 * gets 409 and the sender retries later.
 */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { ConfigError } from '../kernel/env.ts';
import type { HttpResult } from '../kernel/functions.ts';
import { DocumentExistsError } from '../domain/errors.ts';
import type { Clock, ContainerSpec, DocumentRepository, DocumentStore, Stored } from '../domain/ports.ts';
import {
  WEBHOOK_TOLERANCE_SECONDS,
  checkWebhookTimestamp,
  claimSeconds,
  deliveryRecordId,
  invalidSignature,
  parseWebhookHeaders,
  signedContentPrefix,
  webhookInProgress,
  type WebhookDeliveryRecord,
  type WebhookHeaders,
} from '../domain/webhooks.ts';
import type { PorticoContext, PorticoHttpEvent } from './context.ts';
import type { Logger } from './logger.ts';

/** One record per delivered webhook id; each is its own partition. */
export const webhookDeliveriesContainer: ContainerSpec = { name: 'webhook-deliveries', partitionKey: 'id' };

type Env = Record<string, string | undefined>;
type Middleware = MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>;

const systemClock: Clock = { now: () => new Date() };
const DIGEST_BYTES = 32;
/** The spec recommends secrets of 24 to 64 bytes; shorter ones are refused. */
const MIN_SECRET_BYTES = 24;
/**
 * Done records outlive the senders' retry schedules (Svix: about 28 hours; others up to ~41 h),
 * because a retry is re-signed with a fresh timestamp and would otherwise run the handler again.
 */
export const DEFAULT_RETENTION_SECONDS = 3 * 86_400;

// ---------------------------------------------------------------- secrets

/** Verification keys, newest or oldest first: any of them may sign (rotation). */
export type WebhookSecrets = readonly KeyObject[];

/** `whsec_<base64>` -> the HMAC key (the decoded bytes). Throws a plain Error saying what is wrong. */
export function parseWebhookSecret(text: string): KeyObject {
  const match = /^whsec_([A-Za-z0-9+/]+={0,2})$/.exec(text);
  if (!match) throw new Error('a secret must look like whsec_<base64>');
  const bytes = Buffer.from(match[1]!, 'base64');
  // Buffer's decoder skips what it cannot read; a round trip proves the text was clean base64.
  if (bytes.toString('base64').replace(/=+$/, '') !== match[1]!.replace(/=+$/, '')) throw new Error('a secret is not valid base64 after whsec_');
  if (bytes.length < MIN_SECRET_BYTES) throw new Error(`a secret must decode to at least ${MIN_SECRET_BYTES} bytes, one has ${bytes.length}`);
  return createSecretKey(bytes);
}

/** True when `variableName` holds anything (whether it parses is loadWebhookSecrets' to say). */
export function webhookSecretsSet(variableName: string, env: Env = process.env): boolean {
  return (env[variableName] ?? '').trim().length > 0;
}

/** The secrets in `variableName`: one or more `whsec_` values separated by commas or spaces. */
export function loadWebhookSecrets(variableName: string, env: Env = process.env): WebhookSecrets {
  const values = (env[variableName] ?? '').split(/[\s,]+/).filter(Boolean);
  if (values.length === 0) throw new ConfigError(variableName, 'must list at least one webhook secret (whsec_<base64>)');
  return Object.freeze(
    values.map((value, index) => {
      try {
        return parseWebhookSecret(value);
      } catch (error) {
        // Never echo the value: it is a secret.
        throw new ConfigError(variableName, `has a malformed secret at position ${index + 1}: ${(error as Error).message}`);
      }
    }),
  );
}

// ---------------------------------------------------------------- signing and verification

function digest(secret: KeyObject, headers: Pick<WebhookHeaders, 'id' | 'timestamp'>, body: Uint8Array): Buffer {
  return createHmac('sha256', secret).update(signedContentPrefix(headers)).update(body).digest();
}

const toBytes = (body: string | Uint8Array) => (typeof body === 'string' ? Buffer.from(body, 'utf8') : body);

/** One `v1,<base64>` entry for `webhook-signature` (tests, and Portico's own outgoing webhooks). */
export function signWebhook(secret: string | KeyObject, id: string, timestamp: number | string, body: string | Uint8Array): string {
  const key = typeof secret === 'string' ? parseWebhookSecret(secret) : secret;
  return `v1,${digest(key, { id, timestamp: String(timestamp) }, toBytes(body)).toString('base64')}`;
}

/**
 * True when any presented v1 signature is the HMAC of the content under any secret. Only
 * fixed-length values meet timingSafeEqual: our 32-byte digests, and presented signatures that
 * decode to exactly 32 bytes (others cannot match and are skipped).
 */
export function verifyWebhookSignature(secrets: WebhookSecrets, headers: WebhookHeaders, body: Uint8Array): boolean {
  const presented = headers.signatures
    .filter((signature) => /^[A-Za-z0-9+/]+={0,2}$/.test(signature))
    .map((signature) => Buffer.from(signature, 'base64'))
    .filter((bytes) => bytes.length === DIGEST_BYTES);
  if (presented.length === 0) return false;
  let matched = false;
  for (const secret of secrets) {
    const expected = digest(secret, headers, body);
    // No early exit: the time taken does not say which secret or entry matched.
    for (const candidate of presented) matched = timingSafeEqual(expected, candidate) || matched;
  }
  return matched;
}

/** The raw body's bytes, exactly as the sender signed them. */
export function rawBody(event: Pick<APIGatewayProxyEventV2, 'body' | 'isBase64Encoded'>): Buffer {
  return Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
}

// ---------------------------------------------------------------- middleware

/** What the middleware tells the handler about the delivery. */
export interface WebhookDelivery {
  id: string;
  timestamp: number;
  /** True when this id was already handled: skipDuplicateWebhooks answers without running the handler. */
  duplicate: boolean;
}

export type WebhookEvent<TBody = unknown> = PorticoHttpEvent<TBody> & { webhook?: WebhookDelivery };

export interface WebhookOptions {
  secrets: WebhookSecrets;
  /** The shared store holding the `webhook-deliveries` container. */
  store: DocumentStore;
  clock?: Clock;
  /** Separates senders whose ids could collide (e.g. the secrets variable's name). */
  scope?: string;
  toleranceSeconds?: number;
  /** How long a done id is remembered; at least the replay window (2 x tolerance + 60 s). */
  retentionSeconds?: number;
  /** Where cleanup failures go when the context has no logger (outside the standard stack). */
  logger?: Logger;
}

interface Claim {
  id: string;
  webhookId: string;
  etag: string;
  claimedAt: string;
}

/**
 * Verifies the signature and timestamp, then claims the delivery's id. Place it after the body
 * size limit and BEFORE JSON parsing: it needs the raw bytes, and unsigned input should never
 * reach the parser. Wrap the handler in skipDuplicateWebhooks.
 */
export function webhookSignature(options: WebhookOptions): Middleware {
  const { secrets, store, clock = systemClock, scope = 'default' } = options;
  const tolerance = options.toleranceSeconds ?? WEBHOOK_TOLERANCE_SECONDS;
  const claimMs = claimSeconds(tolerance) * 1000;
  const retentionMs = Math.max(options.retentionSeconds ?? DEFAULT_RETENTION_SECONDS, claimSeconds(tolerance)) * 1000;
  if (secrets.length === 0) throw new Error('webhookSignature needs at least one secret');
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(scope)) throw new Error(`webhook scope "${scope}" must be 1-64 letters, digits, - or _`);
  const deliveries: DocumentRepository<WebhookDeliveryRecord> = store.repository(webhookDeliveriesContainer);
  const claims = new WeakMap<object, Claim>();

  /** Claims the id; or says it is done (duplicate); or throws 409 while another delivery holds it. */
  const claim = async (webhookId: string, now: Date): Promise<Stored<WebhookDeliveryRecord> | 'duplicate'> => {
    const id = deliveryRecordId(scope, webhookId);
    // A claim can vanish between our create and our read (its handler failed): then try again.
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        return await deliveries.create({ id, webhookId, scope, status: 'processing', claimedAt: now.toISOString(), expiresAt: now.getTime() + claimMs });
      } catch (error) {
        if (!(error instanceof DocumentExistsError)) throw error;
      }
      const existing = await deliveries.get(id, id);
      if (existing?.status === 'done') return 'duplicate';
      if (existing) throw webhookInProgress(5);
    }
    throw webhookInProgress(1);
  };

  // Keyed by middy's request object, which is one per invocation (an event object might be reused).
  const release = async (request: { context: Context }) => {
    const held = claims.get(request);
    if (!held) return;
    claims.delete(request);
    try {
      await deliveries.delete(held.id, held.id, held.etag);
    } catch (error) {
      // The claim then expires on its own; until it does, retries of this id get 409.
      ((request.context as PorticoContext).log ?? options.logger)?.warn({ err: error }, 'could not release a webhook claim');
    }
  };

  return {
    before: async (request) => {
      const event = request.event as WebhookEvent;
      const headers = parseWebhookHeaders(event.headers ?? {});
      const now = clock.now();
      checkWebhookTimestamp(headers.timestamp, now.getTime(), tolerance);
      if (!verifyWebhookSignature(secrets, headers, rawBody(event))) throw invalidSignature();
      const claimed = await claim(headers.id, now);
      const timestamp = Number(headers.timestamp);
      if (claimed === 'duplicate') {
        event.webhook = { id: headers.id, timestamp, duplicate: true };
        return;
      }
      claims.set(request, { id: claimed.id, webhookId: headers.id, etag: claimed.etag, claimedAt: claimed.claimedAt });
      event.webhook = { id: headers.id, timestamp, duplicate: false };
    },
    after: async (request) => {
      const held = claims.get(request);
      if (!held) return;
      const status = request.response?.statusCode ?? 200;
      if (status < 200 || status >= 300) return release(request);
      claims.delete(request);
      const now = clock.now();
      try {
        await deliveries.upsert({
          id: held.id,
          webhookId: held.webhookId,
          scope,
          status: 'done',
          claimedAt: held.claimedAt,
          completedAt: now.toISOString(),
          expiresAt: now.getTime() + retentionMs,
        });
      } catch (error) {
        // The work is done and the sender must hear so: the claim still blocks replays until it expires.
        ((request.context as PorticoContext).log ?? options.logger)?.error({ err: error }, 'could not mark a webhook delivery done');
      }
    },
    onError: release,
  };
}

/** The acknowledgement for a delivery already handled. */
export function duplicateWebhookResponse(): HttpResult {
  return { statusCode: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ status: 'duplicate' }) };
}

/**
 * Answers 200 `{"status":"duplicate"}` for a delivery already handled, without running the
 * handler. It wraps the handler rather than answering from a `before`, because an early answer
 * from a `before` would skip the other middlewares' `after` hooks (CORS, security headers,
 * telemetry).
 */
export function skipDuplicateWebhooks<E extends object, C, R>(handler: (event: E, context: C) => Promise<R>): (event: E, context: C) => Promise<R | HttpResult> {
  return async (event, context) => ((event as { webhook?: WebhookDelivery }).webhook?.duplicate ? duplicateWebhookResponse() : handler(event, context));
}

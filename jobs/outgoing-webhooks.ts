/**
 * Outgoing signed webhooks, for any service's job: one Standard Webhooks delivery (`webhook-id`,
 * `webhook-timestamp`, `webhook-signature: v1,<HMAC-SHA256>`; body `{type, timestamp, data}`)
 * POSTed through the SSRF-safe client (`deps.safeHttp(settings).post`).
 *
 * The job runtime does the retrying: `deliverWebhook` reports the attempt, and
 * `throwUnlessDelivered` turns a failure into what the runtime needs: a network failure or a
 * non-2xx answer is a plain Error (retried with backoff, then dead-lettered with its reason); an
 * address the SSRF rules refuse (a private one, or a name resolving to one) is a
 * PermanentJobError, never retried. Keep `id` the same on every retry of one event: receivers
 * de-duplicate by it.
 */
import type { KeyObject } from 'node:crypto';
import { AppError } from '../domain/errors.ts';
import type { WebhookPoster } from '../domain/webhooks.ts';
import { PermanentJobError } from '../kernel/jobs.ts';
import { signWebhook } from '../middleware/webhooks.ts';

export interface OutgoingWebhook {
  url: string;
  /** `whsec_<base64>` (or its parsed key): the receiver's secret. */
  secret: string | KeyObject;
  /** The `webhook-id`: one per event, the same on every retry. */
  id: string;
  /** The event type, e.g. `voice.ready`. */
  type: string;
  data: unknown;
}

export type WebhookAttempt =
  | { outcome: 'delivered'; status: number }
  /** The SSRF rules refused the address: retrying cannot help. */
  | { outcome: 'refused'; reason: string }
  /** A network failure (no `status`) or a non-2xx answer: worth retrying. */
  | { outcome: 'failed'; status?: number; reason: string };

/** The signed request: Standard Webhooks headers over the exact body sent. */
export function signedDelivery(webhook: OutgoingWebhook, now: Date): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify({ type: webhook.type, timestamp: now.toISOString(), data: webhook.data });
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'webhook-id': webhook.id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signWebhook(webhook.secret, webhook.id, timestamp, body),
    },
  };
}

/** One delivery attempt; never throws for the receiver's or the network's failure. */
export async function deliverWebhook(poster: WebhookPoster, webhook: OutgoingWebhook, options: { now: Date; signal?: AbortSignal }): Promise<WebhookAttempt> {
  const { body, headers } = signedDelivery(webhook, options.now);
  let status: number;
  try {
    ({ status } = await poster.post(webhook.url, body, headers, options.signal));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    // The safe client answers a refused address with a 400 AppError (its own rules, before any connection).
    if (error instanceof AppError && error.status === 400) return { outcome: 'refused', reason };
    return { outcome: 'failed', reason };
  }
  if (status >= 200 && status < 300) return { outcome: 'delivered', status };
  return { outcome: 'failed', status, reason: `the receiver answered ${status}` };
}

/**
 * Throws what the job runtime retries (a plain Error) or gives up on (PermanentJobError);
 * returns when delivered. `what` names the delivery in the message: `The callback`.
 */
export function throwUnlessDelivered(attempt: WebhookAttempt, what = 'The webhook'): void {
  if (attempt.outcome === 'delivered') return;
  if (attempt.outcome === 'refused') throw new PermanentJobError(`${what} URL was refused: ${attempt.reason}`);
  // A plain Error, not the fetcher's 4xx AppError: the job runtime retries only what is not a 4xx.
  if (attempt.status !== undefined) throw new Error(`${what} receiver answered ${attempt.status}.`);
  throw new Error(`${what} could not be delivered: ${attempt.reason}`);
}

/**
 * Standard Webhooks (https://www.standardwebhooks.com), the pure part: reading the three
 * headers, the timestamp window, what is signed, and the delivery records that stop replays.
 * The HMAC itself needs node:crypto and lives in middleware/webhooks.ts.
 */
import { AppError } from './errors.ts';
import type { Document } from './ports.ts';

/** How far `webhook-timestamp` may be from our clock, in either direction (the spec's 5 minutes). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;
/** At most this many entries in `webhook-signature`: bounds the HMAC comparisons per request. */
export const MAX_SIGNATURES = 16;
const MAX_ID_LENGTH = 256;

export interface WebhookHeaders {
  id: string;
  /** Unix seconds, as sent (the signed content uses the header's exact text). */
  timestamp: string;
  /** The base64 text of every `v1,` entry, in order; other schemes are ignored. */
  signatures: string[];
}

export const invalidSignature = (detail = 'The webhook signature is missing or does not match.') =>
  new AppError(401, 'invalid_signature', detail);
export const staleWebhook = (toleranceSeconds = WEBHOOK_TOLERANCE_SECONDS) =>
  new AppError(401, 'stale_webhook', `The webhook timestamp is more than ${toleranceSeconds} seconds from our clock; check the sender's clock.`);
export const webhookInProgress = (retryAfterSeconds: number) =>
  new AppError(409, 'webhook_in_progress', 'This webhook is already being processed; retry later.', { headers: { 'retry-after': String(retryAfterSeconds) } });

/** The three headers, or a 401 `invalid_signature` when one is missing or garbled. */
export function parseWebhookHeaders(headers: Readonly<Record<string, string | undefined>>): WebhookHeaders {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signature = headers['webhook-signature'];
  if (!id || !timestamp || !signature) throw invalidSignature('The webhook-id, webhook-timestamp and webhook-signature headers are required.');
  // Visible ASCII only: the id becomes part of a document id and of the signed content.
  if (id.length > MAX_ID_LENGTH || !/^[\x21-\x7E]+$/.test(id)) throw invalidSignature('The webhook-id header is not a valid id.');
  if (!/^\d{1,12}$/.test(timestamp)) throw invalidSignature('The webhook-timestamp header must be unix seconds.');
  const entries = signature.split(' ').filter(Boolean);
  if (entries.length > MAX_SIGNATURES) throw invalidSignature('The webhook-signature header has too many entries.');
  const signatures = entries
    // A repeated header arrives joined by ", "; the comma is never part of a base64 signature.
    .map((entry) => entry.replace(/,$/, ''))
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => entry.slice(3));
  if (signatures.length === 0) throw invalidSignature('The webhook-signature header has no v1 signature.');
  return { id, timestamp, signatures };
}

/** A 401 `stale_webhook` unless the timestamp is within the tolerance of now, both ways (edges included). */
export function checkWebhookTimestamp(timestamp: string, nowMs: number, toleranceSeconds = WEBHOOK_TOLERANCE_SECONDS): void {
  const now = Math.floor(nowMs / 1000);
  const sent = Number(timestamp);
  if (!Number.isSafeInteger(sent) || Math.abs(now - sent) > toleranceSeconds) throw staleWebhook(toleranceSeconds);
}

/** What is signed, before the raw body's bytes: `${id}.${timestamp}.` */
export function signedContentPrefix(headers: Pick<WebhookHeaders, 'id' | 'timestamp'>): string {
  return `${headers.id}.${headers.timestamp}.`;
}

// ---------------------------------------------------------------- replay records

export type DeliveryStatus = 'processing' | 'done';

/** One per webhook id (per sender scope): claimed before the handler runs, done after it succeeds. */
export interface WebhookDeliveryRecord extends Document {
  webhookId: string;
  scope: string;
  status: DeliveryStatus;
  claimedAt: string;
  completedAt?: string;
  expiresAt: number;
}

/** `wh:<scope>:<webhook id>`, percent-encoded so any visible-ASCII id makes a valid document id. */
export function deliveryRecordId(scope: string, webhookId: string): string {
  return `wh:${scope}:${encodeURIComponent(webhookId)}`;
}

/**
 * How long a claim is kept before it counts as abandoned (a crashed instance never deletes it).
 * A captured delivery replays while its timestamp is within the window, which can be up to
 * 2 x tolerance after we first saw it (sent `tolerance` in our future), so a record must
 * outlive that; a minute more covers clock skew. It is also far longer than any HTTP function
 * may run (230 s on Azure, 29 s behind API Gateway), so a live handler never loses its claim.
 */
export function claimSeconds(toleranceSeconds = WEBHOOK_TOLERANCE_SECONDS): number {
  return 2 * toleranceSeconds + 60;
}

// ---------------------------------------------------------------- outgoing

/** POSTs a signed webhook under the SSRF rules (no private address, no redirects followed). */
export interface WebhookPoster {
  post(url: string, body: Uint8Array | string, headers: Record<string, string>, signal?: AbortSignal): Promise<{ status: number }>;
}

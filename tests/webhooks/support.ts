/** Signed deliveries and a webhook route in the standard stack, for the webhook tests. */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { HttpTrigger } from '../../app/define.ts';
import type { Clock, DocumentStore } from '../../domain/ports.ts';
import type { HttpPlatform, PorticoHttpHandler } from '../../middleware/http-stack.ts';
import { parseWebhookSecret, signWebhook, skipDuplicateWebhooks, webhookSignature, type WebhookOptions } from '../../middleware/webhooks.ts';
import { httpEvent, lambdaContext } from '../support/platform.ts';
import { stack, trigger } from '../rate-limit/stack.ts';

// 24-byte keys, as the spec recommends at minimum; OLD is the spec's own test-vector secret.
export const OLD_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
export const NEW_SECRET = `whsec_${Buffer.from('portico-new-webhook-key-0123').toString('base64')}`;
export const OTHER_SECRET = `whsec_${Buffer.from('somebody-elses-webhook-key!!').toString('base64')}`;

export const T0 = Date.UTC(2026, 10, 22, 10, 0, 0);
export const nowSeconds = (clock: Clock) => Math.floor(clock.now().getTime() / 1000);

export function fakeClock(start = T0) {
  let now = start;
  return { now: () => new Date(now), set: (ms: number) => void (now = ms), advance: (ms: number) => void (now += ms) };
}

export interface DeliveryInit {
  id: string;
  timestamp: number;
  body: string | Buffer;
  /** Sign with these (default the old secret); each adds one v1 entry. */
  secrets?: string[];
  /** Replace or remove (undefined) headers after signing. */
  headers?: Record<string, string | undefined>;
  /** Send the body base64-encoded, as the adapters do for binary content. */
  base64?: boolean;
  contentType?: string;
}

export function delivery(init: DeliveryInit): APIGatewayProxyEventV2 {
  const bytes = typeof init.body === 'string' ? Buffer.from(init.body, 'utf8') : init.body;
  const signature = (init.secrets ?? [OLD_SECRET]).map((secret) => signWebhook(secret, init.id, init.timestamp, bytes)).join(' ');
  const headers: Record<string, string | undefined> = {
    'content-type': init.contentType ?? 'application/json',
    'webhook-id': init.id,
    'webhook-timestamp': String(init.timestamp),
    'webhook-signature': signature,
    ...init.headers,
  };
  const defined = Object.fromEntries(Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const base64 = init.base64 ?? typeof init.body !== 'string';
  return httpEvent({
    method: 'POST',
    path: '/api/webhooks/test',
    headers: { origin: 'https://app.example.com', ...defined },
    body: base64 ? bytes.toString('base64') : bytes.toString('utf8'),
    isBase64Encoded: base64,
  });
}

export const eventSchema = {
  type: 'object',
  required: ['type'],
  additionalProperties: false,
  properties: { type: { type: 'string' }, n: { type: 'integer' } },
};

/** A webhook route wired as httpHandler will wire it: the signature check between the body limit and the JSON parser. */
export function webhookRoute(
  handler: PorticoHttpHandler,
  platform: HttpPlatform,
  options: Partial<WebhookOptions> & { store: DocumentStore },
  route: Partial<HttpTrigger> = { request: { body: eventSchema } },
) {
  const lambda = stack(trigger({ route: 'webhooks/test', webhook: { secretsVariable: 'TEST_WEBHOOK_SECRETS' }, ...route }), skipDuplicateWebhooks(handler), platform, {
    beforeParse: [webhookSignature({ secrets: [OLD_SECRET, NEW_SECRET].map(parseWebhookSecret), ...options })],
  });
  return async (event: APIGatewayProxyEventV2) => (await lambda(event, lambdaContext('webhook-test'))) as APIGatewayProxyStructuredResultV2;
}

export const problemOf = (result: APIGatewayProxyStructuredResultV2) => JSON.parse(result.body ?? '{}') as { code?: string; status?: number };

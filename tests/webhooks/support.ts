/** Signed deliveries and a webhook route in the real standard stack (httpHandler), for the webhook tests. */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { defineFunction, type FunctionDef, type HttpLambda, type HttpTrigger } from '../../kernel/functions.ts';
import type { Clock, DocumentStore } from '../../domain/ports.ts';
import { httpHandler, type PorticoHttpHandler } from '../../middleware/http-stack.ts';
import { signWebhook } from '../../middleware/webhooks.ts';
import { httpEvent, lambdaContext, testPlatform } from '../support/platform.ts';

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

/** The variable the test route reads its secrets from; httpHandler also uses it as the replay scope. */
export const SECRETS_VARIABLE = 'TEST_WEBHOOK_SECRETS';

export interface WebhookRouteOptions {
  /** The shared store (`platform.webhooks.store`). */
  store: DocumentStore;
  clock?: Clock;
  /** Default SECRETS_VARIABLE; it holds the old and the new secret (a rotation under way). */
  secretsVariable?: string;
  /** Overrides for the route definition; default a JSON body matching eventSchema. */
  route?: Partial<HttpTrigger>;
}

/**
 * A webhook route in the real stack: the route declares `webhook: { secretsVariable }`, and
 * httpHandler reads the secrets from `platform.webhooks.env`, checks the signature between the
 * body limit and the JSON parser, and wraps the handler in skipDuplicateWebhooks.
 */
export function webhookRoute(handler: PorticoHttpHandler, options: WebhookRouteOptions) {
  const secretsVariable = options.secretsVariable ?? SECRETS_VARIABLE;
  const env = { [secretsVariable]: `${OLD_SECRET}, ${NEW_SECRET}` };
  const platform = testPlatform({ webhooks: { store: options.store, env, ...(options.clock ? { clock: options.clock } : {}) } });
  const def: FunctionDef<HttpTrigger> = defineFunction<HttpTrigger>({
    name: 'webhook-test',
    trigger: {
      kind: 'http',
      method: 'POST',
      route: 'webhooks/test',
      auth: 'public',
      summary: 'test',
      responses: {},
      webhook: { secretsVariable },
      ...(options.route ?? { request: { body: eventSchema } }),
    },
    load: async () => ({ handler: lambda }),
  });
  const lambda: HttpLambda = httpHandler(def, handler, platform);
  return async (event: APIGatewayProxyEventV2) => (await lambda(event, lambdaContext('webhook-test'))) as APIGatewayProxyStructuredResultV2;
}

export const problemOf = (result: APIGatewayProxyStructuredResultV2) => JSON.parse(result.body ?? '{}') as { code?: string; status?: number };

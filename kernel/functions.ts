/**
 * The vocabulary of the function table: every function Portico runs is one `FunctionDef`.
 * Definitions carry metadata only; the factory that builds the handler is named by its module
 * path and imported on first use (by app/app.ts `bind`), so registration, the local host,
 * serverless.yml and the API docs never pay for handler code, and bundlers can find each entry.
 */
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
  S3Event,
  ScheduledEvent,
  SQSBatchResponse,
  SQSEvent,
} from 'aws-lambda';

/**
 * Who may call a route: `public` anyone; `user` a signed-in user (Portico's own HS256 token or
 * the configured Entra ID / OIDC issuer); `admin` a user in ADMIN_USER_IDS; `apiKey` a service
 * holding one of API_KEYS. A list means any of them (e.g. `['apiKey', 'user']`).
 */
export type AuthClass = 'public' | 'user' | 'admin' | 'apiKey';
export type ProtectedClass = Exclude<AuthClass, 'public'>;
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
export type JsonSchema = Record<string, unknown>;

export interface HttpTrigger {
  kind: 'http';
  method: HttpMethod;
  /** Route below the `/api` prefix in API Gateway syntax: `items/{id}`, greedy `{proxy+}`. */
  route: string;
  auth: AuthClass | readonly ProtectedClass[];
  /**
   * A configuration variable that may set the class instead (`public` or `user`), read when the
   * function is bound: a public route an operator can close to signed-in users (DISCOVERY_AUTH).
   */
  authSetting?: string;
  /**
   * Roles the caller must hold at least one of (the token's `roles` claim: Entra ID app roles, or
   * PIN_USER_ROLES in Portico's own tokens), else 403 `missing_role`. Only on `user`/`admin` routes.
   */
  roles?: readonly string[];
  /** The rate limit this route counts against (RATE_LIMIT_<NAME>, per minute); default `default`, `false` for none. */
  rateLimit?: string | false;
  /** Refuse (503) rather than admit when the rate-limit store cannot be reached. */
  rateLimitFailClosed?: boolean;
  /** Also apply the tight per-e-mail and per-address credential limits (the body carries `email`); fails closed. */
  credentialLimits?: boolean;
  /**
   * Verify Standard Webhooks signatures with the secrets in this configuration variable, before
   * parsing. `optional`: a deployment may leave the variable unset, and then only this route
   * answers 503 `not_configured` (start-up still refuses a malformed value).
   */
  webhook?: { secretsVariable: string; optional?: boolean };
  summary: string;
  /**
   * Request schemas; a body schema implies a JSON body. `contentTypes` lists the raw (non-JSON)
   * media types a route takes as its body, e.g. image uploads (for the API docs).
   */
  request?: {
    body?: JsonSchema;
    /** The body may be left out (no bytes at all): the handler then sees `json` undefined, unvalidated. */
    optionalBody?: boolean;
    query?: JsonSchema;
    contentTypes?: readonly string[];
    /** The JSON body's schema when the handler reads the body itself (it also takes `contentTypes`, e.g. multipart): documented, not parsed by the stack. */
    handlerBody?: JsonSchema;
  };
  /** Response body schemas by status code, for the API docs. */
  responses: Record<number, { description: string; schema?: JsonSchema }>;
  /** Extension members of every problem this route answers, e.g. the capability seed's `success: false`. */
  problemMembers?: Readonly<Record<string, string | number | boolean>>;
  /** A larger (or smaller) body limit than MAX_BODY_BYTES for this route, e.g. image uploads. */
  maxBodyBytes?: number;
  /**
   * The handler answers with a stream (Server-Sent Events): response streaming on Lambda
   * (a function URL in RESPONSE_STREAM mode), HTTP streams on Azure, chunked output locally.
   */
  stream?: boolean;
}
export interface QueueTrigger {
  kind: 'queue';
  queue: string;
}
export interface TimerTrigger {
  kind: 'timer';
  /** NCRONTAB, six fields, seconds first, UTC. */
  schedule: string;
}
export interface BlobTrigger {
  kind: 'blob';
  /** `container/{name}` as the Functions blob trigger writes it. */
  path: string;
}
export type Trigger = HttpTrigger | QueueTrigger | TimerTrigger | BlobTrigger;

/** `container/{name}` (or `container/prefix/{name}.ext`) -> bucket, key prefix and key suffix. */
export function blobLocation(path: string): { bucket: string; prefix: string; suffix: string } {
  const slash = path.indexOf('/');
  const bucket = slash < 0 ? path : path.slice(0, slash);
  const key = slash < 0 ? '' : path.slice(slash + 1);
  const open = key.indexOf('{');
  const close = key.lastIndexOf('}');
  return open < 0 ? { bucket, prefix: key, suffix: '' } : { bucket, prefix: key.slice(0, open), suffix: key.slice(close + 1) };
}

export type HttpResult = APIGatewayProxyStructuredResultV2;
export type HttpLambda = (event: APIGatewayProxyEventV2, context: Context) => Promise<HttpResult>;
export type QueueLambda = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;
export type TimerLambda = (event: ScheduledEvent, context: Context) => Promise<void>;
export type BlobLambda = (event: S3Event, context: Context) => Promise<void>;

type HandlerFor<T extends Trigger> = T extends HttpTrigger
  ? HttpLambda
  : T extends QueueTrigger
    ? QueueLambda
    : T extends TimerTrigger
      ? TimerLambda
      : BlobLambda;

export type FunctionDef<T extends Trigger = Trigger> = {
  /** Unique, `kebab-case`; the Azure function name and the Lambda function key. */
  name: string;
  trigger: T;
  /** Only the local host serves it (development aids); never registered on Azure or AWS. */
  localOnly?: boolean;
  /**
   * `app`: its Lambda bundle carries every service manifest, not only its own service's (a
   * function that acts on every service's data, like `delete_account`). Default: its service's scope.
   */
  bundle?: 'app';
  /** The service that owns it; stamped by `defineService`, so bind knows whose settings to load. */
  service?: string;
} & (
  | {
      /**
       * The module exporting the function's factory, from the project root, without extension:
       * `handlers/diagnostics/diagnostics.routes#echo`. The factory receives the service's dependencies and
       * this definition, and returns the handler (app/app.ts `Factory` says what each trigger kind returns).
       */
      handler: string;
      load?: undefined;
    }
  | {
      handler?: undefined;
      /** A ready handler instead of a factory module (tests inject handlers this way). */
      load: () => Promise<{ handler: HandlerFor<T> }>;
    }
);

export type AnyHandler = HttpLambda | QueueLambda | TimerLambda | BlobLambda;

export function defineFunction<T extends Trigger>(def: FunctionDef<T>): FunctionDef<T> {
  return def;
}

/** `handlers/x/y.routes#name` -> module `handlers/x/y.routes`, export `name` (default `handler`). */
export function handlerReference(reference: string): { module: string; exportName: string } {
  const [module = '', exportName = 'handler'] = reference.split('#');
  return { module, exportName };
}

export const isHttp = (def: FunctionDef): def is FunctionDef<HttpTrigger> => def.trigger.kind === 'http';

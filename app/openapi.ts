/**
 * The API document (OpenAPI 3.1), built from the function table like everything else: a route
 * exists in the docs exactly when it exists in the table, with the same auth, schemas and
 * responses. Local-only functions (development aids) and the catch-all CORS preflight are left
 * out: the first never reaches a cloud, the second is described in the document's text.
 */
import type { AuthClass, FunctionDef, HttpTrigger, JsonSchema } from '../kernel/functions.ts';
import { isHttp } from '../kernel/functions.ts';
import { hasRouteRateLimit } from '../middleware/rate-limit.ts';

export interface OpenApiOptions {
  title?: string;
  version: string;
}

type Operation = Record<string, unknown>;

const PROBLEM: JsonSchema = {
  type: 'object',
  description: 'RFC 9457 problem details. `code` is stable; `requestId` matches the X-Request-Id response header.',
  required: ['type', 'title', 'status', 'code', 'requestId'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    requestId: { type: 'string' },
    errors: {
      type: 'array',
      items: { type: 'object', properties: { pointer: { type: 'string' }, detail: { type: 'string' } } },
    },
  },
};

/** Which security schemes satisfy an auth class (`admin` is a signed-in user on the allowlist). */
const SCHEMES: Record<Exclude<AuthClass, 'public'>, string> = { user: 'bearer', admin: 'bearer', apiKey: 'apiKey' };

function security(auth: HttpTrigger['auth']): Operation['security'] {
  if (auth === 'public') return [];
  const classes = typeof auth === 'string' ? [auth] : [...auth];
  const schemes = [...new Set(classes.map((c) => SCHEMES[c as Exclude<AuthClass, 'public'>]))];
  return schemes.map((scheme) => ({ [scheme]: [] }));
}

function pathParameters(route: string): Operation[] {
  return [...route.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((match) => ({ name: match[1], in: 'path', required: true, schema: { type: 'string' } }));
}

function queryParameters(query: JsonSchema | undefined): Operation[] {
  const properties = (query?.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((query?.required ?? []) as string[]);
  return Object.entries(properties).map(([name, schema]) => ({ name, in: 'query', required: required.has(name), schema }));
}

const PROBLEM_CONTENT = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
const GENERIC_PROBLEM = 'Problem details (application/problem+json)';

/** A declared description, unless it only repeats that the body is a problem. */
const ownWords = (response: { description: string } | undefined) =>
  response && response.description !== GENERIC_PROBLEM ? ` ${response.description}` : '';

function declaredResponse(trigger: HttpTrigger, code: number, response: { description: string; schema?: JsonSchema }): Operation {
  // An error with a schema of its own (health's 503 report) is that JSON, or a problem when the stack answers first.
  if (code >= 400) return { description: response.description, content: response.schema ? { 'application/json': { schema: response.schema }, ...PROBLEM_CONTENT } : PROBLEM_CONTENT };
  if (trigger.stream && code < 300) return { description: response.description, content: { 'text/event-stream': { schema: { type: 'string' } } } };
  if (!response.schema) return { description: response.description };
  return { description: response.description, content: { 'application/json': { schema: response.schema } } };
}

/** Why this route can answer 503; every route can, as middy ends one that outlives its deadline (`timeout`). */
function unavailableCodes(trigger: HttpTrigger): string {
  const auth = typeof trigger.auth === 'string' ? [trigger.auth] : [...trigger.auth];
  const reasons = ['`timeout`: the function reached its deadline', '`unavailable`: a store it uses (documents, queues, blobs) cannot be reached'];
  if (trigger.rateLimitFailClosed) reasons.push('`unavailable` also when the rate-limit store cannot count, as this route refuses rather than admits');
  if (auth.some((c) => c === 'user' || c === 'admin')) reasons.push('`idp_unavailable`: the OIDC issuer\'s keys cannot be fetched');
  return `${reasons.join('; ')}.`;
}

/**
 * The declared responses, plus what the stack adds on its own: 429 `rate_limited` on every route
 * that counts against a limit (as middleware/rate-limit.ts decides), and 503 on every route.
 */
function responses(trigger: HttpTrigger): Operation {
  const declared = trigger.responses as Record<string, { description: string; schema?: JsonSchema }>;
  const out: Record<string, Operation> = Object.fromEntries(Object.entries(declared).map(([status, response]) => [status, declaredResponse(trigger, Number(status), response)]));
  if (trigger.credentialLimits || hasRouteRateLimit(trigger)) {
    out['429'] = {
      description: `\`rate_limited\`: too many requests for this route's limit; retry after Retry-After seconds.${ownWords(declared['429'])}`,
      headers: { 'Retry-After': { $ref: '#/components/headers/RetryAfter' }, ...RATE_LIMIT_HEADERS },
      content: PROBLEM_CONTENT,
    };
  }
  if (trigger.roles?.length) {
    out['403'] = {
      description: `\`missing_role\`: the caller holds none of the roles ${trigger.roles.map((role) => `\`${role}\``).join(', ')} (the token's \`roles\` claim).${ownWords(declared['403'])}`,
      content: PROBLEM_CONTENT,
    };
  }
  const ownUnavailable = declared['503'];
  out['503'] = {
    description: `Unavailable for now; retry after Retry-After seconds. ${unavailableCodes(trigger)}${ownWords(ownUnavailable)}`,
    headers: { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } },
    content: ownUnavailable?.schema ? { 'application/json': { schema: ownUnavailable.schema }, ...PROBLEM_CONTENT } : PROBLEM_CONTENT,
  };
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => Number(a) - Number(b)));
}

const RATE_LIMIT_HEADERS = Object.fromEntries(
  (['Limit', 'Remaining', 'Reset'] as const).map((part) => [`RateLimit-${part}`, { $ref: `#/components/headers/RateLimit${part}` }]),
);

const HEADERS = {
  RetryAfter: { description: 'Seconds to wait before trying again.', schema: { type: 'integer', minimum: 1 } },
  RateLimitLimit: { description: "Requests the route's limit admits per window.", schema: { type: 'integer' } },
  RateLimitRemaining: { description: 'Requests left in the current window.', schema: { type: 'integer' } },
  RateLimitReset: { description: 'Seconds until the window resets.', schema: { type: 'integer' } },
};

function requestBody(trigger: HttpTrigger): Operation | undefined {
  if (trigger.request?.body) return { required: !trigger.request.optionalBody, content: { 'application/json': { schema: trigger.request.body } } };
  if (trigger.request?.contentTypes) {
    const binary = { type: 'string', contentMediaType: 'application/octet-stream' };
    const json = trigger.request.handlerBody;
    const schemaOf = (type: string) => {
      if (!json) return binary;
      if (type === 'application/json') return json;
      if (type === 'multipart/form-data') return { type: 'object', properties: { file: binary }, description: 'The file in the part `file`; the JSON body\'s other fields (and its `options`) as text fields.' };
      return binary;
    };
    return { required: true, content: Object.fromEntries(trigger.request.contentTypes.map((type) => [type, { schema: schemaOf(type) }])) };
  }
  return undefined;
}

function operation(def: FunctionDef<HttpTrigger>): Operation {
  const { trigger } = def;
  const parameters = [...pathParameters(trigger.route), ...queryParameters(trigger.request?.query)];
  const body = requestBody(trigger);
  return {
    operationId: def.name,
    summary: trigger.summary,
    tags: [def.name.split('-')[0]],
    // A class an operator may tighten (authSetting): anonymous or signed in, as OpenAPI writes "optional".
    security: trigger.authSetting ? [{}, { bearer: [] }] : security(trigger.auth),
    // Roles are not OAuth scopes, so they ride in an extension (and in the 403's description).
    ...(trigger.roles?.length ? { 'x-roles': [...trigger.roles] } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(body ? { requestBody: body } : {}),
    responses: responses(trigger),
  };
}

export function openApiDocument(table: readonly FunctionDef[], options: OpenApiOptions): Record<string, unknown> {
  const paths: Record<string, Record<string, Operation>> = {};
  for (const def of table) {
    if (!isHttp(def) || def.localOnly || def.trigger.method === 'OPTIONS') continue;
    const path = `/api/${def.trigger.route}`;
    (paths[path] ??= {})[def.trigger.method.toLowerCase()] = operation(def);
  }
  const sorted = Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b)));
  return {
    openapi: '3.1.0',
    info: {
      title: options.title ?? 'Portico API',
      version: options.version,
      description:
        'Generated from the function table (app/functions.ts). Every error is application/problem+json with a stable `code` and the `requestId`. ' +
        'CORS preflight (OPTIONS) is answered for every route, for the origins in CORS_ALLOWED_ORIGINS.',
    },
    servers: [{ url: '/' }],
    paths: sorted,
    components: {
      schemas: { Problem: PROBLEM },
      headers: HEADERS,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: "Portico's own access token, or one from the configured Entra ID / OIDC issuer." },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'One of API_KEYS.' },
      },
    },
  };
}

/** Test doubles for the platform: a logger that captures lines, Lambda events and contexts. */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { unauthorized } from '../../domain/errors.ts';
import { denyAll, type Authenticator } from '../../middleware/auth.ts';
import type { HttpPlatform } from '../../middleware/http-stack.ts';
import { createLogger } from '../../middleware/logger.ts';

export function captureLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger({ level: 'debug', pretty: false, destination });
  return { logger, lines, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

/** `Authorization: Bearer user:<id>` signs in as <id>. */
export const asUser: Authenticator = async (event) => {
  const match = /^Bearer user:([A-Za-z0-9-]+)$/.exec(event.headers.authorization ?? '');
  if (!match?.[1]) throw unauthorized();
  return { userId: match[1], qualifiedId: `test|${match[1]}`, issuer: 'test', via: 'token', roles: [], isAdmin: false };
};

export function testPlatform(overrides: Partial<HttpPlatform> = {}): HttpPlatform & { lines: string[] } {
  const { logger, lines } = captureLogger();
  return {
    logger,
    corsAllowedOrigins: ['https://app.example.com'],
    maxBodyBytes: 64 * 1024,
    authenticate: denyAll,
    ...overrides,
    lines,
  };
}

export interface EventInit {
  method?: string;
  path?: string;
  routeKey?: string;
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
  query?: string;
}

/** An API Gateway HTTP API (payload 2.0) event, as Lambda would deliver it. */
export function httpEvent(init: EventInit = {}): APIGatewayProxyEventV2 {
  const method = init.method ?? 'GET';
  const path = init.path ?? '/api/health';
  const search = new URLSearchParams(init.query ?? '');
  const query: Record<string, string> = {};
  for (const key of new Set(search.keys())) query[key] = search.getAll(key).join(',');
  return {
    version: '2.0',
    routeKey: init.routeKey ?? `${method} ${path}`,
    rawPath: path,
    rawQueryString: init.query ?? '',
    headers: init.headers ?? {},
    queryStringParameters: Object.keys(query).length ? query : undefined,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'jest' },
      requestId: randomUUID(),
      routeKey: `${method} ${path}`,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    isBase64Encoded: init.isBase64Encoded ?? false,
    ...(init.body !== undefined ? { body: init.body } : {}),
  };
}

export function lambdaContext(functionName = 'test', remainingMs = 30_000): Context {
  const deadline = Date.now() + remainingMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'stream',
    getRemainingTimeInMillis: () => deadline - Date.now(),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

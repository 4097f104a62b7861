/**
 * Sample Lambda events and a Lambda context for one table function, shaped as AWS delivers them
 * (HTTP API payload 2.0, SQS, EventBridge, S3), for `npm run invoke` and tests. `data` is the
 * payload: the HTTP body, the SQS message body, the schedule's `detail` (JSON) or the S3 key.
 */
import type { APIGatewayProxyEventV2, Context, S3Event, ScheduledEvent, SQSEvent } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import type { FunctionDef, HttpTrigger } from '../../kernel/functions.ts';
import { lambdaContextOf, s3RecordEvent, sqsRecordEvent } from '../lambda-shapes.ts';
import { blobLocation, MEMORY_SIZE_MB } from './serverless-config.ts';

const ACCOUNT = '000000000000';
const region = () => process.env.AWS_REGION ?? 'us-east-1';

/** `admin/jobs/{id}` -> path `/api/admin/jobs/id` and `{ id: 'id' }`: each parameter holds its own name. */
export function samplePath(route: string): { path: string; parameters: Record<string, string> | undefined } {
  const parameters: Record<string, string> = {};
  const path = `/api/${route.replace(/\{([^}+]+)\+?\}/g, (_, name: string) => (parameters[name] = name))}`;
  return { path, parameters: Object.keys(parameters).length > 0 ? parameters : undefined };
}

export function httpEvent(trigger: HttpTrigger, data: string | undefined, now = new Date()): APIGatewayProxyEventV2 {
  const { path, parameters } = samplePath(trigger.route);
  const headers: Record<string, string> = { host: 'localhost', 'user-agent': 'portico-invoke', ...(data === undefined ? {} : { 'content-type': 'application/json' }) };
  return {
    version: '2.0',
    routeKey: `${trigger.method} /api/${trigger.route}`,
    rawPath: path,
    rawQueryString: '',
    headers,
    ...(parameters ? { pathParameters: parameters } : {}),
    requestContext: {
      accountId: ACCOUNT,
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method: trigger.method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: headers['user-agent']! },
      requestId: randomUUID(),
      routeKey: `${trigger.method} /api/${trigger.route}`,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(data === undefined ? {} : { body: data }),
    isBase64Encoded: false,
  };
}

export function sqsEvent(queue: string, body: string, now = new Date()): SQSEvent {
  return sqsRecordEvent({
    messageId: randomUUID(),
    receiptHandle: 'local',
    body,
    receiveCount: 1,
    sentAt: now.getTime(),
    senderId: 'local',
    eventSource: 'aws:sqs',
    // The job worker takes the queue name from the ARN's last segment, as on AWS.
    eventSourceARN: `arn:aws:sqs:${region()}:${ACCOUNT}:${queue}`,
    region: region(),
  });
}

export function scheduledEvent(name: string, detail: unknown, now = new Date()): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: ACCOUNT,
    time: now.toISOString(),
    region: region(),
    resources: [`arn:aws:events:${region()}:${ACCOUNT}:rule/${name}`],
    detail: detail ?? {},
  };
}

export function s3Event(name: string, bucket: string, key: string, now = new Date()): S3Event {
  return s3RecordEvent({
    eventSource: 'aws:s3',
    region: region(),
    time: now.toISOString(),
    requestId: randomUUID(),
    principal: 'local',
    sourceIp: '127.0.0.1',
    configurationId: name,
    bucket,
    bucketArn: `arn:aws:s3:::${bucket}`,
    name: key,
    size: 0,
    eTag: '',
    sequencer: now.getTime().toString(16).toUpperCase(),
  });
}

/** The event AWS would deliver to `def` for its trigger, carrying `data`. */
export function sampleEvent(def: FunctionDef, data: string | undefined, now = new Date()): unknown {
  const trigger = def.trigger;
  switch (trigger.kind) {
    case 'http':
      return httpEvent(trigger, data, now);
    case 'queue':
      return sqsEvent(trigger.queue, data ?? '{}', now);
    case 'timer':
      return scheduledEvent(def.name, data === undefined ? {} : JSON.parse(data), now);
    case 'blob': {
      const { bucket, prefix, suffix } = blobLocation(trigger.path);
      return s3Event(def.name, bucket, data ?? `${prefix}example${suffix}`, now);
    }
  }
}

/** A Lambda context whose clock starts now and runs out after `timeoutMs`. */
export function lambdaContext(def: FunctionDef, timeoutMs: number, raw: unknown, now: () => number = Date.now): Context {
  const requestId = randomUUID();
  return lambdaContextOf({
    functionName: def.name,
    arn: `arn:aws:lambda:${region()}:${ACCOUNT}:function:${def.name}`,
    memoryMB: String(MEMORY_SIZE_MB),
    requestId,
    logGroup: `/aws/lambda/${def.name}`,
    timeoutMs,
    platform: { runtime: 'local', raw },
    now,
  });
}

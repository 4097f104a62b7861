/**
 * The Lambda shapes every adapter hands a handler (a one-record SQS or S3 event, Lambda's Context),
 * written once. Each adapter (azure/, aws/, gcp/) fills in what its platform knows; the fields
 * Portico reads and the ones AWS sends but nothing here knows stay the same on every runtime.
 */
import type { Context, S3Event, SQSEvent, SQSMessageAttributes } from 'aws-lambda';
import { createHash } from 'node:crypto';
import { version } from '../app/project.ts';
import type { PlatformInput, PorticoContext } from '../middleware/context.ts';

/** S3 event keys are form-encoded: spaces become `+`. */
export const s3Key = (name: string) => encodeURIComponent(name).replace(/%20/g, '+').replace(/%2F/g, '/');

export interface SqsRecordFields {
  messageId: string;
  receiptHandle: string;
  /** The exact message text. */
  body: string;
  receiveCount: number;
  /** Epoch milliseconds. */
  sentAt: number;
  firstReceivedAt?: number;
  senderId: string;
  eventSource: string;
  /** Ends in `:<queue>`: the job worker takes the queue's name from its last segment. */
  eventSourceARN: string;
  region: string;
  messageAttributes?: SQSMessageAttributes;
}

export function sqsRecordEvent(fields: SqsRecordFields): SQSEvent {
  return {
    Records: [
      {
        messageId: fields.messageId,
        receiptHandle: fields.receiptHandle,
        body: fields.body,
        attributes: {
          ApproximateReceiveCount: String(fields.receiveCount),
          SentTimestamp: String(fields.sentAt),
          SenderId: fields.senderId,
          ApproximateFirstReceiveTimestamp: String(fields.firstReceivedAt ?? fields.sentAt),
        },
        messageAttributes: fields.messageAttributes ?? {},
        md5OfBody: createHash('md5').update(fields.body).digest('hex'),
        eventSource: fields.eventSource,
        eventSourceARN: fields.eventSourceARN,
        awsRegion: fields.region,
      },
    ],
  };
}

export interface S3RecordFields {
  eventSource: string;
  region: string;
  /** ISO 8601. */
  time: string;
  requestId: string;
  principal: string;
  sourceIp: string;
  configurationId: string;
  bucket: string;
  bucketArn: string;
  /** The object's name as stored; form-encoded here, as S3 sends it. */
  name: string;
  size: number;
  eTag: string;
  sequencer: string;
}

export function s3RecordEvent(fields: S3RecordFields): S3Event {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: fields.eventSource,
        awsRegion: fields.region,
        eventTime: fields.time,
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: fields.principal },
        requestParameters: { sourceIPAddress: fields.sourceIp },
        responseElements: { 'x-amz-request-id': fields.requestId, 'x-amz-id-2': '' },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: fields.configurationId,
          bucket: { name: fields.bucket, ownerIdentity: { principalId: fields.principal }, arn: fields.bucketArn },
          object: { key: s3Key(fields.name), size: fields.size, eTag: fields.eTag, sequencer: fields.sequencer },
        },
      },
    ],
  };
}

const unsupported = (name: string) => () => {
  throw new Error(`context.${name}() is a Lambda callback API; return a value or throw instead.`);
};

export interface ContextFields {
  functionName: string;
  arn: string;
  memoryMB: string;
  requestId: string;
  logGroup: string;
  /** The deadline `getRemainingTimeInMillis` counts down to: middy's timeout handling does nothing without it. */
  timeoutMs: number;
  platform: PlatformInput;
  now?: () => number;
}

/** Lambda's Context, its clock starting now. */
export function lambdaContextOf(fields: ContextFields): Context {
  const now = fields.now ?? Date.now;
  const deadline = now() + fields.timeoutMs;
  const context: Partial<PorticoContext> & Context = {
    callbackWaitsForEmptyEventLoop: false,
    functionName: fields.functionName,
    functionVersion: version,
    invokedFunctionArn: fields.arn,
    memoryLimitInMB: fields.memoryMB,
    awsRequestId: fields.requestId,
    logGroupName: fields.logGroup,
    logStreamName: fields.requestId,
    getRemainingTimeInMillis: () => Math.max(0, deadline - now()),
    done: unsupported('done'),
    fail: unsupported('fail'),
    succeed: unsupported('succeed'),
    platform: fields.platform,
  };
  return context;
}

/**
 * What an AWS SDK v3 error means, shared by the SQS and S3 adapters (as adapters/storage/failures.ts
 * is for Azure Storage). Recognised by shape, so no SDK has to be loaded to ask.
 */
import { StoreUnavailableError } from '../../domain/errors.ts';

interface AwsErrorShape {
  name?: unknown;
  code?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/** The service's error name (`QueueDoesNotExist`, `NoSuchKey`, ...) or a Node network code. */
export function awsErrorName(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const shape = error as AwsErrorShape;
  if (typeof shape.code === 'string' && NETWORK_CODES.has(shape.code)) return shape.code;
  // The SDK's retry layer wraps what it does not recognise as an Error (a network error from
  // another realm, e.g. under Jest's VM modules) into "AWS SDK error wrapper for Error: connect
  // ECONNREFUSED ...", keeping only the text.
  const wrapped = /^AWS SDK error wrapper for .*?\b(E[A-Z]+)\b/.exec(String((error as { message?: unknown }).message));
  if (wrapped?.[1] && NETWORK_CODES.has(wrapped[1])) return wrapped[1];
  return typeof shape.name === 'string' ? shape.name : undefined;
}

export function awsStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status = (error as AwsErrorShape).$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const UNAVAILABLE_NAMES = new Set([
  ...NETWORK_CODES,
  'TimeoutError',
  'RequestThrottled',
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'KmsThrottled',
  // SQS's in-flight ceiling (120,000 messages): capacity, not a bad request.
  'OverLimit',
  'ServiceUnavailable',
  'SlowDown',
]);

/**
 * Throttling, an unavailable service and an unreachable endpoint become StoreUnavailableError
 * (the SDK has already retried them); anything else is returned unchanged.
 */
export function mapAwsError(error: unknown): unknown {
  const name = awsErrorName(error);
  const status = awsStatus(error);
  if ((name !== undefined && UNAVAILABLE_NAMES.has(name)) || status === 429 || status === 503) return new StoreUnavailableError(1);
  return error;
}

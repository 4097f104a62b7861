/**
 * What a Storage SDK error means, shared by the queue and blob adapters. Recognised by shape
 * (a RestError's name and fields), so the blob SDK can stay unloaded until first use.
 */
import { StoreUnavailableError } from '../../domain/errors.ts';

export interface Failure {
  status: number | undefined;
  /** The service's error code (`QueueNotFound`, `PopReceiptMismatch`, ...) or a network code. */
  code: string | undefined;
  retryAfter: number;
}

interface RestErrorShape {
  name: string;
  statusCode?: number;
  code?: string;
  details?: unknown;
  response?: { headers: { get(name: string): string | undefined } };
}

export function failure(error: unknown): Failure | undefined {
  if (!(error instanceof Error) || error.name !== 'RestError') return undefined;
  const rest = error as unknown as RestErrorShape;
  const details = rest.details as { errorCode?: string } | undefined;
  const retryAfter = Number(rest.response?.headers.get('retry-after'));
  return { status: rest.statusCode, code: details?.errorCode ?? rest.code, retryAfter: retryAfter > 0 ? retryAfter : 1 };
}

/** Throttling and a refused connection mean nothing was written, so the caller may retry. */
export function mapError(error: unknown): unknown {
  const facts = failure(error);
  if (facts && (facts.status === 429 || facts.status === 503 || facts.code === 'ECONNREFUSED')) {
    return new StoreUnavailableError(facts.retryAfter);
  }
  return error;
}

/** A 404, optionally only for one service error code. */
export function isNotFound(error: unknown, code?: string): boolean {
  const facts = failure(error);
  return facts?.status === 404 && (code === undefined || facts.code === undefined || facts.code === code);
}

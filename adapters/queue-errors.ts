/**
 * The rules both MessageQueue implementations enforce, and the error they share. Kept free of
 * any SDK so the memory queue can use it without loading @azure/storage-queue.
 */
import { AppError, badRequest, PayloadTooLargeError } from '../domain/errors.ts';

/**
 * The delete came too late: the visibility timeout ran out and the message was received again,
 * so this receipt no longer owns it. Someone else may be working on it right now.
 */
export class StaleReceiptError extends AppError {
  readonly messageId: string;

  constructor(queue: string, messageId: string) {
    super(409, 'stale_receipt', `Message ${messageId} on queue ${queue} was received again after this receipt was issued.`);
    this.name = 'StaleReceiptError';
    this.messageId = messageId;
  }
}

/** Raw UTF-8 bytes per message: base64 inflates by 4/3, and the service takes 64 KiB of text. */
export const MAX_MESSAGE_BYTES = 48 * 1024;
/** The service's ceiling for a send delay and a receive's visibility timeout. */
export const MAX_DELAY_SECONDS = 7 * 24 * 3600;
/** The service's default time to live; both queues count it from when a message becomes visible. */
export const MESSAGE_TTL_SECONDS = 7 * 24 * 3600;
export const MAX_RECEIVE = 32;

const QUEUE_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
// With the u flag a valid pair is one code point, so only a lone surrogate matches.
const LONE_SURROGATE = /\p{Cs}/u;

export function checkQueueName(queue: string): void {
  if (typeof queue !== 'string' || queue.length < 3 || queue.length > 63 || !QUEUE_NAME.test(queue)) {
    throw badRequest('invalid_name', 'A queue name is 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit.');
  }
}

/** Whole seconds, rounded up: the service counts whole seconds, and "at least" is what callers mean. */
function wholeSeconds(value: number, min: number, code: string, what: string): number {
  const seconds = Math.ceil(value);
  if (!Number.isFinite(value) || seconds < min || seconds > MAX_DELAY_SECONDS) {
    throw badRequest(code, `${what} must be between ${min} and ${MAX_DELAY_SECONDS} seconds (7 days).`);
  }
  return seconds;
}

/**
 * Validates a send and returns the delay in whole seconds. Throws PayloadTooLargeError past
 * MAX_MESSAGE_BYTES, and refuses text with a lone surrogate, which UTF-8 cannot carry intact.
 */
export function checkSend(queue: string, text: string, options: { delaySeconds?: number } = {}): { delaySeconds: number } {
  checkQueueName(queue);
  if (typeof text !== 'string' || LONE_SURROGATE.test(text)) {
    throw badRequest('invalid_message', 'A message must be well-formed Unicode text.');
  }
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_MESSAGE_BYTES) throw new PayloadTooLargeError(bytes, MAX_MESSAGE_BYTES);
  return { delaySeconds: options.delaySeconds === undefined ? 0 : wholeSeconds(options.delaySeconds, 0, 'invalid_delay', 'delaySeconds') };
}

export function checkReceive(queue: string, options: { max: number; visibilitySeconds: number }): { max: number; visibilitySeconds: number } {
  checkQueueName(queue);
  if (!Number.isInteger(options.max) || options.max < 1 || options.max > MAX_RECEIVE) {
    throw badRequest('invalid_option', `max must be a whole number from 1 to ${MAX_RECEIVE}.`);
  }
  return { max: options.max, visibilitySeconds: wholeSeconds(options.visibilitySeconds, 1, 'invalid_option', 'visibilitySeconds') };
}

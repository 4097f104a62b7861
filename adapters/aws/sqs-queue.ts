/**
 * MessageQueue over Amazon SQS standard queues, refusing exactly what the Azure and memory queues
 * refuse (adapters/queue-errors.ts). The SDK loads on first use, so importing this module (from
 * the composition root, or for its error helpers) stays cheap.
 *
 * The body is the message text as is, not base64: a Lambda SQS event's `body` is then the text the
 * handler contract promises. Two texts SQS cannot carry raw are flagged by a message attribute,
 * `portico-encoding`: `empty` (SQS refuses an empty body; a placeholder is sent) and `base64` (text
 * with characters outside SQS's allowed set, e.g. most C0 controls or U+FFFE). JSON job envelopes
 * never need either.
 *
 * Delays: SQS delays a message by at most 900 s, the port allows 7 days. A longer delay is sent
 * with DelaySeconds 900 and a `portico-not-before` attribute (epoch ms). `receive` never returns
 * a message before that time: it re-hides it with ChangeMessageVisibility for the time left, at
 * most 12 h (SQS's visibility ceiling), so a delay is honoured across several such hops. Every hop is a
 * receive to SQS: it raises ApproximateReceiveCount (so `dequeueCount`) and counts towards a
 * redrive policy's maxReceiveCount. Consumers that bypass `receive` (a Lambda SQS event source
 * mapping) must honour both attributes themselves.
 */
import type * as SqsSdk from '@aws-sdk/client-sqs';
import type { Message, MessageAttributeValue, SQSClient } from '@aws-sdk/client-sqs';
import { badRequest } from '../../domain/errors.ts';
import type { Clock, MessageQueue, ReceivedMessage } from '../../domain/ports.ts';
import { checkQueueName, checkReceive, checkSend, StaleReceiptError } from '../queue-errors.ts';
import { awsErrorName, mapAwsError } from './failures.ts';
import { commonJsExports } from '../lazy.ts';

export { StaleReceiptError } from '../queue-errors.ts';

type Sdk = typeof SqsSdk;

let loading: Promise<Sdk> | undefined;

function loadSdk(): Promise<Sdk> {
  loading ??= commonJsExports(import('@aws-sdk/client-sqs'), 'SQSClient');
  return loading;
}

/** SQS's ceiling for DelaySeconds. */
export const SQS_MAX_DELAY_SECONDS = 900;
/** SQS's ceiling for a visibility timeout (12 hours). */
export const SQS_MAX_VISIBILITY_SECONDS = 12 * 3600;
/** SQS's ceiling for MaxNumberOfMessages in one ReceiveMessage. */
export const SQS_MAX_BATCH = 10;
/**
 * The retention `ensure` gives a queue it creates: SQS's maximum, 14 days. SQS counts retention
 * from the send, so a 7-day delay still leaves 7 days of life, as on Azure.
 */
export const SQS_RETENTION_SECONDS = 14 * 24 * 3600;
/** SQS's ceiling for a queue name. */
const SQS_MAX_NAME = 80;
export const NOT_BEFORE_ATTRIBUTE = 'portico-not-before';
export const ENCODING_ATTRIBUTE = 'portico-encoding';
const EMPTY_PLACEHOLDER = '-';

// What SQS accepts in a body: #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF.
// Lone surrogates are already refused by checkSend, so this finds the rest.
const SQS_UNSAFE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

const isQueueMissing = (error: unknown) => {
  const name = awsErrorName(error);
  return name === 'QueueDoesNotExist' || name === 'AWS.SimpleQueueService.NonExistentQueue';
};

/** A receipt SQS will not take: superseded, expired or malformed. */
const isBadReceipt = (error: unknown) => {
  const name = awsErrorName(error);
  return name === 'ReceiptHandleIsInvalid' || (name === 'InvalidParameterValue' && /receipt/i.test((error as Error).message));
};

// ---------------------------------------------------------------- the body on the wire

interface Wire {
  body: string;
  attributes: Record<string, MessageAttributeValue>;
}

function encode(text: string): Wire {
  if (text === '') return { body: EMPTY_PLACEHOLDER, attributes: { [ENCODING_ATTRIBUTE]: { DataType: 'String', StringValue: 'empty' } } };
  if (SQS_UNSAFE.test(text)) {
    return { body: Buffer.from(text, 'utf8').toString('base64'), attributes: { [ENCODING_ATTRIBUTE]: { DataType: 'String', StringValue: 'base64' } } };
  }
  return { body: text, attributes: {} };
}

/** The sent text from a body and its `portico-encoding` (also used on the Lambda event path). */
export function decodeBody(body: string, encoding: string | undefined): string {
  if (encoding === 'empty') return '';
  if (encoding === 'base64') return Buffer.from(body, 'base64').toString('utf8');
  return body;
}

const decode = (message: Message) => decodeBody(message.Body ?? '', message.MessageAttributes?.[ENCODING_ATTRIBUTE]?.StringValue);

// ---------------------------------------------------------------- the queue

export interface SqsMessageQueueOptions {
  region?: string;
  /** A non-AWS endpoint (ElasticMQ, LocalStack). */
  endpoint?: string;
  /**
   * `https://sqs.<region>.amazonaws.com/<account>/`: queue URLs are this plus the (prefixed)
   * name, so receive, delete and count need no GetQueueUrl. Without it each name is looked up once.
   */
  queueUrlPrefix?: string;
  /**
   * Prepended to every queue name on SQS (`portico-prod-`), so several stages share one account:
   * callers keep using the table's names (`system-jobs`), SQS sees `portico-prod-system-jobs`.
   */
  queueNamePrefix?: string;
  /** A ready client (tests); otherwise one is built on first use. */
  client?: SQSClient;
  /** Decides when a `portico-not-before` message is due; tests pass a fake one. */
  clock?: Clock;
}

const realTime: Clock = { now: () => new Date() };

export class SqsMessageQueue implements MessageQueue {
  readonly #options: SqsMessageQueueOptions;
  readonly #clock: Clock;
  #client: SQSClient | undefined;
  readonly #urls = new Map<string, string>();
  /** Queues known to exist, so a send costs one request, not two. */
  readonly #known = new Set<string>();

  constructor(options: SqsMessageQueueOptions = {}) {
    this.#options = options;
    this.#clock = options.clock ?? realTime;
    this.#client = options.client;
  }

  async #sdk(): Promise<{ sdk: Sdk; client: SQSClient }> {
    const sdk = await loadSdk();
    const { region, endpoint } = this.#options;
    this.#client ??= new sdk.SQSClient({ ...(region ? { region } : {}), ...(endpoint ? { endpoint } : {}) });
    return { sdk, client: this.#client };
  }

  /** The name SQS knows the queue by: the prefix plus the table's name. */
  physicalName(queue: string): string {
    const name = (this.#options.queueNamePrefix ?? '') + queue;
    if (name.length > SQS_MAX_NAME) throw badRequest('invalid_name', `The SQS queue name ${name} is longer than ${SQS_MAX_NAME} characters: shorten the queue name or its prefix.`);
    return name;
  }

  /** The queue's URL: cached, derived from the prefix, or looked up. Throws QueueDoesNotExist. */
  async #url(queue: string): Promise<string> {
    const cached = this.#urls.get(queue);
    if (cached) return cached;
    const prefix = this.#options.queueUrlPrefix;
    if (prefix) return prefix + this.physicalName(queue);
    const { sdk, client } = await this.#sdk();
    const { QueueUrl } = await client.send(new sdk.GetQueueUrlCommand({ QueueName: this.physicalName(queue) }));
    if (!QueueUrl) throw new Error(`SQS gave no URL for queue ${queue}.`);
    this.#urls.set(queue, QueueUrl);
    return QueueUrl;
  }

  #forget(queue: string): void {
    this.#urls.delete(queue);
    this.#known.delete(queue);
  }

  /**
   * Looks the queue up first, and creates it only when missing: CreateQueue fails on an existing
   * queue whose attributes differ (one declared in serverless.yml, say).
   */
  async ensure(queue: string): Promise<void> {
    checkQueueName(queue);
    if (this.#known.has(queue)) return;
    const name = this.physicalName(queue);
    const { sdk, client } = await this.#sdk();
    const lookup = async () => (await client.send(new sdk.GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
    try {
      let url: string | undefined;
      try {
        url = await lookup();
      } catch (error) {
        if (!isQueueMissing(error)) throw error;
        try {
          url = (await client.send(new sdk.CreateQueueCommand({ QueueName: name, Attributes: { MessageRetentionPeriod: String(SQS_RETENTION_SECONDS) } }))).QueueUrl;
        } catch (createError) {
          // Someone else created it in between, with other attributes.
          if (awsErrorName(createError) !== 'QueueNameExists') throw createError;
          url = await lookup();
        }
      }
      if (!url) throw new Error(`SQS gave no URL for queue ${queue}.`);
      this.#urls.set(queue, url);
    } catch (error) {
      throw mapAwsError(error);
    }
    this.#known.add(queue);
  }

  /** Creates the queue if needed, as the Azure queue does: a message is never lost to a missing queue. */
  async send(queue: string, text: string, options?: { delaySeconds?: number }): Promise<{ id: string }> {
    const { delaySeconds } = checkSend(queue, text, options);
    const { body, attributes } = encode(text);
    if (delaySeconds > SQS_MAX_DELAY_SECONDS) {
      const notBefore = this.#clock.now().getTime() + delaySeconds * 1000;
      attributes[NOT_BEFORE_ATTRIBUTE] = { DataType: 'Number', StringValue: String(notBefore) };
    }
    const { sdk, client } = await this.#sdk();
    for (let attempt = 1; ; attempt++) {
      await this.ensure(queue);
      try {
        const sent = await client.send(
          new sdk.SendMessageCommand({
            QueueUrl: await this.#url(queue),
            MessageBody: body,
            ...(delaySeconds > 0 ? { DelaySeconds: Math.min(delaySeconds, SQS_MAX_DELAY_SECONDS) } : {}),
            ...(Object.keys(attributes).length > 0 ? { MessageAttributes: attributes } : {}),
          }),
        );
        if (!sent.MessageId) throw new Error(`SQS gave no message id for a send to ${queue}.`);
        return { id: sent.MessageId };
      } catch (error) {
        // Deleted behind our back since we cached it: create it again, once.
        if (attempt === 1 && isQueueMissing(error)) {
          this.#forget(queue);
          continue;
        }
        throw mapAwsError(error);
      }
    }
  }

  /**
   * Up to `max` messages in batches of 10 (SQS's ceiling), stopping at the first short batch.
   * Messages not yet due are re-hidden, not returned. A queue that does not exist holds none.
   * Visibility above 12 h is capped at 12 h, SQS's ceiling.
   */
  async receive(queue: string, options: { max: number; visibilitySeconds: number }): Promise<ReceivedMessage[]> {
    const { max, visibilitySeconds } = checkReceive(queue, options);
    const { sdk, client } = await this.#sdk();
    const received: ReceivedMessage[] = [];
    // Twice the calls `max` needs: not-yet-due messages use calls up, but cannot make a receive endless.
    const maxCalls = 2 * Math.ceil(max / SQS_MAX_BATCH);
    try {
      const url = await this.#url(queue);
      for (let call = 0; call < maxCalls && received.length < max; call++) {
        const wanted = Math.min(SQS_MAX_BATCH, max - received.length);
        const { Messages = [] } = await client.send(
          new sdk.ReceiveMessageCommand({
            QueueUrl: url,
            MaxNumberOfMessages: wanted,
            VisibilityTimeout: Math.min(visibilitySeconds, SQS_MAX_VISIBILITY_SECONDS),
            // Short polling: an empty queue answers at once, as on Azure.
            WaitTimeSeconds: 0,
            MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
            MessageAttributeNames: ['All'],
          }),
        );
        const now = this.#clock.now().getTime();
        const hides: Promise<void>[] = [];
        for (const message of Messages) {
          // NaN (no attribute) compares false: an ordinary message is due.
          const notBefore = Number(message.MessageAttributes?.[NOT_BEFORE_ATTRIBUTE]?.StringValue);
          if (notBefore > now) hides.push(this.#hide(sdk, client, url, message, notBefore - now));
          else received.push(this.#toReceived(message));
        }
        await Promise.all(hides);
        if (Messages.length < wanted) break;
      }
    } catch (error) {
      if (isQueueMissing(error)) {
        this.#forget(queue);
        return received;
      }
      // What a failing later batch leaves: the earlier batches are already hidden, so return them.
      if (received.length > 0) return received;
      throw mapAwsError(error);
    }
    return received;
  }

  /**
   * Hides a not-yet-due message until it is due, or for 12 h if that is sooner. A failure is
   * ignored: the message then reappears after this receive's visibility timeout and hops again.
   */
  async #hide(sdk: Sdk, client: SQSClient, url: string, message: Message, remainingMs: number): Promise<void> {
    try {
      await client.send(
        new sdk.ChangeMessageVisibilityCommand({
          QueueUrl: url,
          ReceiptHandle: message.ReceiptHandle,
          VisibilityTimeout: Math.min(Math.ceil(remainingMs / 1000), SQS_MAX_VISIBILITY_SECONDS),
        }),
      );
    } catch {
      // See above: the next receive tries again.
    }
  }

  #toReceived(message: Message): ReceivedMessage {
    const attributes = message.Attributes ?? {};
    return {
      id: message.MessageId ?? '',
      text: decode(message),
      dequeueCount: Number(attributes.ApproximateReceiveCount ?? 1),
      receipt: message.ReceiptHandle ?? '',
      insertedAt: new Date(Number(attributes.SentTimestamp ?? this.#clock.now().getTime())),
    };
  }

  /**
   * A message already gone, or a missing queue, counts as deleted. A receipt SQS refuses
   * (ReceiptHandleIsInvalid) throws StaleReceiptError. Note: SQS documents that a delete with a
   * superseded receipt may instead succeed without deleting; the message is then redelivered.
   */
  async delete(queue: string, message: Pick<ReceivedMessage, 'id' | 'receipt'>): Promise<void> {
    checkQueueName(queue);
    const { sdk, client } = await this.#sdk();
    try {
      await client.send(new sdk.DeleteMessageCommand({ QueueUrl: await this.#url(queue), ReceiptHandle: message.receipt }));
    } catch (error) {
      if (isQueueMissing(error)) {
        this.#forget(queue);
        return;
      }
      if (isBadReceipt(error)) throw new StaleReceiptError(queue, message.id);
      throw mapAwsError(error);
    }
  }

  /**
   * For health checks: resolves when SQS answers for the queue (GetQueueAttributes), rejects on
   * a missing queue, missing permissions or an unreachable endpoint. Never creates the queue.
   */
  async ping(queue: string, signal?: AbortSignal): Promise<void> {
    checkQueueName(queue);
    const { sdk, client } = await this.#sdk();
    const QueueUrl = await this.#url(queue);
    await client.send(new sdk.GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }), signal ? { abortSignal: signal } : {});
  }

  /** Visible + in flight (including re-hidden not-yet-due messages) + delayed. */
  async count(queue: string): Promise<number> {
    checkQueueName(queue);
    const { sdk, client } = await this.#sdk();
    try {
      const { Attributes = {} } = await client.send(
        new sdk.GetQueueAttributesCommand({
          QueueUrl: await this.#url(queue),
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
        }),
      );
      return (
        Number(Attributes.ApproximateNumberOfMessages ?? 0) +
        Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) +
        Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0)
      );
    } catch (error) {
      if (isQueueMissing(error)) {
        this.#forget(queue);
        return 0;
      }
      throw mapAwsError(error);
    }
  }
}

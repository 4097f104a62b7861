/**
 * An in-memory SQS standard queue service behind a real SQSClient, through aws-sdk-client-mock:
 * the adapter's commands go through the SDK's `send`, and the answers and errors (real SDK
 * exception classes) follow what SQS documents, so a wrong parameter fails here as it would there:
 * MaxNumberOfMessages 1-10, DelaySeconds 0-900, visibility 0-43200 s, no empty body or characters
 * outside SQS's set, receipt handles that change on every receive, retention counted from the
 * send (4 days unless the queue says otherwise), delayed / in-flight counts. Time is a fake clock.
 */
import { randomUUID } from 'node:crypto';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  MessageNotInflight,
  QueueDoesNotExist,
  QueueNameExists,
  ReceiptHandleIsInvalid,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  SQSServiceException,
  type ChangeMessageVisibilityCommandInput,
  type CreateQueueCommandInput,
  type DeleteMessageCommandInput,
  type GetQueueAttributesCommandInput,
  type GetQueueUrlCommandInput,
  type Message,
  type MessageAttributeValue,
  type ReceiveMessageCommandInput,
  type SendMessageCommandInput,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';

const REGION = 'eu-west-1';
const ACCOUNT_URL = `https://sqs.${REGION}.amazonaws.com/123456789012/`;
const DEFAULT_RETENTION_SECONDS = 4 * 24 * 3600;
const ALLOWED_BODY = /^[\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]+$/u;

export const sqsQueueUrlPrefix = ACCOUNT_URL;

interface FakeMessage {
  id: string;
  body: string;
  attributes: Record<string, MessageAttributeValue> | undefined;
  sentAt: number;
  visibleAt: number;
  expiresAt: number;
  receiveCount: number;
  /** The handle of the latest receive; older ones are superseded. */
  receipt: string | undefined;
  seq: number;
}

interface FakeQueue {
  url: string;
  attributes: Record<string, string>;
  messages: Map<string, FakeMessage>;
}

const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });
const invalid = (message: string) => new SQSServiceException({ name: 'InvalidParameterValue', $fault: 'client', message, ...meta(400) });

const stub = (client: SQSClient) => mockClient(client);

export type Command = 'GetQueueUrl' | 'CreateQueue' | 'SendMessage' | 'ReceiveMessage' | 'ChangeMessageVisibility' | 'DeleteMessage' | 'GetQueueAttributes';

export interface FakeSqsOptions {
  /**
   * What a delete with a superseded receipt does. `reject` answers ReceiptHandleIsInvalid (what
   * the StaleReceiptError contract case needs); `documented` is what the SQS API reference
   * promises: the request succeeds, and the message is not deleted.
   */
  staleReceipts?: 'reject' | 'documented';
  start?: number;
}

export class FakeSqs {
  readonly client: SQSClient;
  /** The aws-sdk-client-mock stub: `commandCalls(...)` shows what the adapter sent. */
  readonly mock: ReturnType<typeof stub>;
  readonly #queues = new Map<string, FakeQueue>();
  readonly #faults = new Map<Command, unknown[]>();
  readonly #staleReceipts: 'reject' | 'documented';
  #now: number;
  #seq = 0;

  constructor(options: FakeSqsOptions = {}) {
    this.#staleReceipts = options.staleReceipts ?? 'reject';
    this.#now = options.start ?? Date.now();
    this.client = new SQSClient({ region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const mock = (this.mock = stub(this.client));
    mock.on(GetQueueUrlCommand).callsFake((input: GetQueueUrlCommandInput) => this.#run('GetQueueUrl', () => this.getQueueUrl(input)));
    mock.on(CreateQueueCommand).callsFake((input: CreateQueueCommandInput) => this.#run('CreateQueue', () => this.createQueue(input)));
    mock.on(SendMessageCommand).callsFake((input: SendMessageCommandInput) => this.#run('SendMessage', () => this.sendMessage(input)));
    mock.on(ReceiveMessageCommand).callsFake((input: ReceiveMessageCommandInput) => this.#run('ReceiveMessage', () => this.receiveMessage(input)));
    mock.on(ChangeMessageVisibilityCommand).callsFake((input: ChangeMessageVisibilityCommandInput) => this.#run('ChangeMessageVisibility', () => this.changeVisibility(input)));
    mock.on(DeleteMessageCommand).callsFake((input: DeleteMessageCommandInput) => this.#run('DeleteMessage', () => this.deleteMessage(input)));
    mock.on(GetQueueAttributesCommand).callsFake((input: GetQueueAttributesCommandInput) => this.#run('GetQueueAttributes', () => this.getAttributes(input)));
  }

  now(): number {
    return this.#now;
  }

  advance(ms: number): void {
    this.#now += ms;
  }

  /** The call of `command` after the next `after` ones fails with `error` (an SDK exception, or a network error). */
  failNext(command: Command, error: unknown, after = 0): void {
    this.#faults.set(command, [...(this.#faults.get(command) ?? []), ...Array<undefined>(after).fill(undefined), error]);
  }

  /** Deletes a queue behind the adapter's back. */
  dropQueue(name: string): void {
    this.#queues.delete(name);
  }

  /** The raw stored message, for asserting on what went over the wire. */
  stored(queue: string): FakeMessage[] {
    return [...(this.#queues.get(queue)?.messages.values() ?? [])];
  }

  queueAttributes(queue: string): Record<string, string> | undefined {
    return this.#queues.get(queue)?.attributes;
  }

  async #run<T>(command: Command, act: () => T): Promise<T> {
    const fault = this.#faults.get(command)?.shift();
    if (fault !== undefined) throw fault;
    return act();
  }

  #byUrl(url: string | undefined): FakeQueue {
    const name = url?.startsWith(ACCOUNT_URL) ? url.slice(ACCOUNT_URL.length) : undefined;
    const queue = name === undefined ? undefined : this.#queues.get(name);
    if (!queue) throw new QueueDoesNotExist({ message: 'The specified queue does not exist.', ...meta(400) });
    // Retention counts from the send, whatever the delay or visibility.
    for (const [id, message] of queue.messages) if (message.expiresAt <= this.#now) queue.messages.delete(id);
    return queue;
  }

  getQueueUrl(input: GetQueueUrlCommandInput) {
    const queue = this.#queues.get(input.QueueName ?? '');
    if (!queue) throw new QueueDoesNotExist({ message: 'The specified queue does not exist.', ...meta(400) });
    return { QueueUrl: queue.url };
  }

  createQueue(input: CreateQueueCommandInput) {
    const name = input.QueueName ?? '';
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) throw invalid(`Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length`);
    const attributes = { ...input.Attributes } as Record<string, string>;
    const existing = this.#queues.get(name);
    if (existing) {
      // As SQS: the same name with different attributes is an error, not the existing queue.
      const same = Object.entries(attributes).every(([key, value]) => (existing.attributes[key] ?? defaultAttribute(key)) === value);
      if (!same) throw new QueueNameExists({ message: 'A queue already exists with the same name and a different value for attribute(s)', ...meta(400) });
      return { QueueUrl: existing.url };
    }
    this.#queues.set(name, { url: ACCOUNT_URL + name, attributes, messages: new Map() });
    return { QueueUrl: ACCOUNT_URL + name };
  }

  sendMessage(input: SendMessageCommandInput) {
    const queue = this.#byUrl(input.QueueUrl);
    const body = input.MessageBody ?? '';
    if (body.length === 0) throw new SQSServiceException({ name: 'MissingParameter', $fault: 'client', message: 'The request must contain the parameter MessageBody.', ...meta(400) });
    if (!ALLOWED_BODY.test(body)) {
      throw new SQSServiceException({ name: 'InvalidMessageContents', $fault: 'client', message: 'Invalid characters found.', ...meta(400) });
    }
    if (Buffer.byteLength(body) > 1024 * 1024) throw invalid('Message must be shorter than 1048576 bytes.');
    const delay = input.DelaySeconds ?? Number(queue.attributes.DelaySeconds ?? 0);
    if (!Number.isInteger(delay) || delay < 0 || delay > 900) throw invalid(`Value ${delay} for parameter DelaySeconds is invalid. Reason: must be between 0 and 900, if provided.`);
    for (const [name, value] of Object.entries(input.MessageAttributes ?? {})) {
      if (!/^[A-Za-z0-9_.-]{1,256}$/.test(name) || /^(aws\.|amazon\.)/i.test(name)) throw invalid(`Message attribute name '${name}' is invalid.`);
      if (!value.StringValue) throw invalid(`Message attribute '${name}' must contain a non-empty value.`);
      if (value.DataType === 'Number' && !Number.isFinite(Number(value.StringValue))) throw invalid(`Message attribute '${name}' is not a number.`);
    }
    const id = randomUUID();
    const retention = Number(queue.attributes.MessageRetentionPeriod ?? DEFAULT_RETENTION_SECONDS);
    queue.messages.set(id, {
      id,
      body,
      attributes: input.MessageAttributes,
      sentAt: this.#now,
      visibleAt: this.#now + delay * 1000,
      expiresAt: this.#now + retention * 1000,
      receiveCount: 0,
      receipt: undefined,
      seq: this.#seq++,
    });
    return { MessageId: id, MD5OfMessageBody: 'not-checked' };
  }

  receiveMessage(input: ReceiveMessageCommandInput) {
    const queue = this.#byUrl(input.QueueUrl);
    const max = input.MaxNumberOfMessages ?? 1;
    if (!Number.isInteger(max) || max < 1 || max > 10) throw invalid(`Value ${max} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.`);
    const visibility = input.VisibilityTimeout ?? Number(queue.attributes.VisibilityTimeout ?? 30);
    if (!Number.isInteger(visibility) || visibility < 0 || visibility > 43_200) throw invalid(`Value ${visibility} for parameter VisibilityTimeout is invalid.`);
    const systemNames = new Set<string>(input.MessageSystemAttributeNames ?? []);
    const wantsAll = systemNames.has('All');
    const attributeNames = new Set(input.MessageAttributeNames ?? []);
    const taken = [...queue.messages.values()]
      .filter((message) => message.visibleAt <= this.#now)
      .sort((a, b) => a.visibleAt - b.visibleAt || a.seq - b.seq)
      .slice(0, max);
    const Messages: Message[] = taken.map((message) => {
      message.receiveCount += 1;
      message.visibleAt = this.#now + visibility * 1000;
      // Handles are opaque, and every receive issues a new one.
      message.receipt = Buffer.from(`rh:${message.id}:${randomUUID()}`).toString('base64');
      const system: Record<string, string> = {};
      if (wantsAll || systemNames.has('ApproximateReceiveCount')) system.ApproximateReceiveCount = String(message.receiveCount);
      if (wantsAll || systemNames.has('SentTimestamp')) system.SentTimestamp = String(message.sentAt);
      const custom = Object.fromEntries(
        Object.entries(message.attributes ?? {}).filter(([name]) => attributeNames.has('All') || attributeNames.has('.*') || attributeNames.has(name)),
      );
      return {
        MessageId: message.id,
        ReceiptHandle: message.receipt,
        Body: message.body,
        MD5OfBody: 'not-checked',
        ...(Object.keys(system).length > 0 ? { Attributes: system } : {}),
        ...(Object.keys(custom).length > 0 ? { MessageAttributes: custom } : {}),
      };
    });
    // SQS leaves Messages out of an empty answer.
    return Messages.length > 0 ? { Messages } : {};
  }

  #byReceipt(queue: FakeQueue, handle: string | undefined): { message: FakeMessage | undefined; stale: boolean } {
    const [tag, id] = handle ? Buffer.from(handle, 'base64').toString('utf8').split(':') : [];
    if (tag !== 'rh' || !id || !handle) throw new ReceiptHandleIsInvalid({ message: `The input receipt handle "${handle}" is not a valid receipt handle.`, ...meta(400) });
    const message = queue.messages.get(id);
    return { message, stale: message !== undefined && message.receipt !== handle };
  }

  changeVisibility(input: ChangeMessageVisibilityCommandInput) {
    const queue = this.#byUrl(input.QueueUrl);
    const timeout = input.VisibilityTimeout ?? -1;
    if (!Number.isInteger(timeout) || timeout < 0 || timeout > 43_200) throw invalid(`Value ${timeout} for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and 43200.`);
    const { message, stale } = this.#byReceipt(queue, input.ReceiptHandle);
    if (!message || stale || message.visibleAt <= this.#now) {
      throw new MessageNotInflight({ message: 'The message referred to is not in flight.', ...meta(400) });
    }
    message.visibleAt = this.#now + timeout * 1000;
    return {};
  }

  deleteMessage(input: DeleteMessageCommandInput) {
    const queue = this.#byUrl(input.QueueUrl);
    const { message, stale } = this.#byReceipt(queue, input.ReceiptHandle);
    if (!message) return {};
    if (stale) {
      if (this.#staleReceipts === 'documented') return {};
      throw new ReceiptHandleIsInvalid({ message: 'The receipt handle has expired.', ...meta(400) });
    }
    queue.messages.delete(message.id);
    return {};
  }

  getAttributes(input: GetQueueAttributesCommandInput) {
    const queue = this.#byUrl(input.QueueUrl);
    let visible = 0;
    let inFlight = 0;
    let delayed = 0;
    for (const message of queue.messages.values()) {
      if (message.visibleAt <= this.#now) visible++;
      else if (message.receiveCount === 0) delayed++;
      else inFlight++;
    }
    const all: Record<string, string> = {
      ApproximateNumberOfMessages: String(visible),
      ApproximateNumberOfMessagesNotVisible: String(inFlight),
      ApproximateNumberOfMessagesDelayed: String(delayed),
    };
    const names = input.AttributeNames ?? [];
    return { Attributes: Object.fromEntries(Object.entries(all).filter(([name]) => names.includes(name as never) || names.includes('All'))) };
  }
}

function defaultAttribute(name: string): string | undefined {
  return { MessageRetentionPeriod: String(DEFAULT_RETENTION_SECONDS), VisibilityTimeout: '30', DelaySeconds: '0' }[name];
}

/** A Node network error as the SDK's HTTP handler passes it on. */
export function connectionRefused(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED', $metadata: { attempts: 3 } });
}

/** Storage queue plumbing shared by the local host's poller, the MessageQueue adapter and the health check. */
import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';

const clients = new Map<string, QueueServiceClient>();

// The Functions host reads and writes queue messages as base64 UTF-8, so every producer does too.
export const decodeMessage = (text: string) => Buffer.from(text, 'base64').toString('utf8');
export const encodeMessage = (text: string) => Buffer.from(text, 'utf8').toString('base64');

export function queueService(connection: string): QueueServiceClient {
  let client = clients.get(connection);
  if (!client) {
    client = QueueServiceClient.fromConnectionString(connection, { retryOptions: { maxTries: 2 } });
    clients.set(connection, client);
  }
  return client;
}

export async function pingQueueService(connection: string, signal: AbortSignal): Promise<void> {
  await queueService(connection).getProperties({ abortSignal: signal });
}

export async function ensureQueue(connection: string, name: string): Promise<QueueClient> {
  const queue = queueService(connection).getQueueClient(name);
  await queue.createIfNotExists();
  return queue;
}

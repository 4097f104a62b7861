/**
 * Runs table functions the way the Functions host would: real `@azure/functions` request and
 * context objects, through the same adapter code as Azure. Used by the local host and tests.
 */
import azf, { type HttpRequest, type Timer } from '@azure/functions';
import { randomUUID } from 'node:crypto';
import type { BlobTrigger, FunctionDef, HttpTrigger, QueueTrigger, TimerTrigger } from '../../kernel/functions.ts';
import { azureBlobHandler } from '../azure/blob.ts';
import { azureHttpHandler } from '../azure/http.ts';
import { azureQueueHandler } from '../azure/queue.ts';
import { azureTimerHandler } from '../azure/timer.ts';

export interface QueueDelivery {
  id: string;
  text: string;
  dequeueCount: number;
  insertionTime?: Date;
  popReceipt?: string;
}

function invocation(def: FunctionDef, triggerMetadata?: Record<string, unknown>) {
  return new azf.InvocationContext({ invocationId: randomUUID(), functionName: def.name, ...(triggerMetadata ? { triggerMetadata } : {}) });
}

/** The host hands JSON messages over parsed; mimic that so handlers see what Azure gives them. */
function hostParsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function createInvoker() {
  const cache = new Map<string, unknown>();
  const adapted = <T>(def: FunctionDef, build: () => T): T => {
    if (!cache.has(def.name)) cache.set(def.name, build());
    return cache.get(def.name) as T;
  };
  return {
    http: (def: FunctionDef<HttpTrigger>, request: HttpRequest) =>
      adapted(def, () => azureHttpHandler(def))(request, invocation(def)),
    queue: (def: FunctionDef<QueueTrigger>, message: QueueDelivery) =>
      adapted(def, () => azureQueueHandler(def))(
        hostParsed(message.text),
        invocation(def, {
          id: message.id,
          dequeueCount: message.dequeueCount,
          insertionTime: (message.insertionTime ?? new Date()).toISOString(),
          popReceipt: message.popReceipt,
          queueTrigger: message.text,
        }),
      ),
    timer: (def: FunctionDef<TimerTrigger>, timer: Timer) => adapted(def, () => azureTimerHandler(def))(timer, invocation(def)),
    blob: (def: FunctionDef<BlobTrigger>, path: string, content: Buffer) =>
      adapted(def, () => azureBlobHandler(def))(content, invocation(def, { blobTrigger: path, properties: { length: content.length } })),
  };
}

export type Invoker = ReturnType<typeof createInvoker>;

/**
 * Runs table functions the way the Functions host would: real `@azure/functions` request and
 * context objects, through the same adapter code as Azure. Used by the local host and tests.
 */
import azf, { type HttpRequest, type Timer } from '@azure/functions';
import { randomUUID } from 'node:crypto';
import type { AnyHandler, BlobLambda, BlobTrigger, FunctionDef, HttpLambda, HttpTrigger, QueueLambda, QueueTrigger, TimerLambda, TimerTrigger } from '../../kernel/functions.ts';
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

/** Binds only functions defined with an inline handler (`load`): what tests build tables from. */
export const bindInline = async (def: FunctionDef): Promise<AnyHandler> => {
  if (!def.load) throw new Error(`${def.name} names a factory; give the invoker the app's bind (app/app.ts).`);
  return (await def.load()).handler;
};

/** `bind` is the composition root's (app/app.ts): it builds each function's handler once. */
export function createInvoker(bind: (def: FunctionDef) => Promise<AnyHandler> = bindInline) {
  const cache = new Map<string, unknown>();
  const bound = <H>(def: FunctionDef) => () => bind(def) as Promise<H>;
  const adapted = <T>(def: FunctionDef, build: () => T): T => {
    if (!cache.has(def.name)) cache.set(def.name, build());
    return cache.get(def.name) as T;
  };
  return {
    http: (def: FunctionDef<HttpTrigger>, request: HttpRequest) =>
      adapted(def, () => azureHttpHandler(def, bound<HttpLambda>(def)))(request, invocation(def)),
    queue: (def: FunctionDef<QueueTrigger>, message: QueueDelivery) =>
      adapted(def, () => azureQueueHandler(def, bound<QueueLambda>(def)))(
        hostParsed(message.text),
        invocation(def, {
          id: message.id,
          dequeueCount: message.dequeueCount,
          insertionTime: (message.insertionTime ?? new Date()).toISOString(),
          popReceipt: message.popReceipt,
          queueTrigger: message.text,
        }),
      ),
    timer: (def: FunctionDef<TimerTrigger>, timer: Timer) => adapted(def, () => azureTimerHandler(def, bound<TimerLambda>(def)))(timer, invocation(def)),
    /** `properties` as the host passes them: the blob's ETag and content type reach the S3 event. */
    blob: (def: FunctionDef<BlobTrigger>, path: string, content: Buffer, properties: { eTag?: string; contentType?: string } = {}) =>
      adapted(def, () => azureBlobHandler(def, bound<BlobLambda>(def)))(
        content,
        invocation(def, { blobTrigger: path, properties: { length: content.length, ...properties } }),
      ),
  };
}

export type Invoker = ReturnType<typeof createInvoker>;

/**
 * Registers every function of the table with the Azure Functions programming model. Each
 * handler is bound (built from its factory) on its first invocation, not at registration.
 */
import type azf from '@azure/functions';
import type { AnyHandler, BlobLambda, BlobTrigger, FunctionDef, HttpLambda, HttpTrigger, QueueLambda, QueueTrigger, TimerLambda, TimerTrigger } from '../../kernel/functions.ts';
import { toAzureRoute } from '../http-mapping.ts';
import { azureBlobHandler } from './blob.ts';
import { azureHttpHandler } from './http.ts';
import { azureQueueHandler } from './queue.ts';
import { azureTimerHandler } from './timer.ts';

type AzureApp = Pick<typeof azf.app, 'http' | 'storageQueue' | 'timer' | 'storageBlob'>;

/** The app setting that holds the storage connection, as the Functions host expects. */
export const STORAGE_CONNECTION = 'AzureWebJobsStorage';

/** What registration needs of the composition root (app/app.ts): the table and `bind`. */
export interface Bindable {
  functions: readonly FunctionDef[];
  bind(def: FunctionDef): Promise<AnyHandler>;
}

export function registerFunctions(app: AzureApp, portico: Bindable): void {
  for (const def of portico.functions) {
    if (def.localOnly) continue; // development aids never reach a cloud
    const trigger = def.trigger;
    const bound = <H>() => portico.bind(def) as Promise<H>;
    switch (trigger.kind) {
      case 'http':
        app.http(def.name, {
          methods: [trigger.method],
          route: toAzureRoute(trigger.route),
          // Auth is Portico's own (the auth middleware); function keys would only get in the way.
          authLevel: 'anonymous',
          handler: azureHttpHandler(def as FunctionDef<HttpTrigger>, bound<HttpLambda>),
        });
        break;
      case 'queue':
        app.storageQueue(def.name, {
          queueName: trigger.queue,
          connection: STORAGE_CONNECTION,
          handler: azureQueueHandler(def as FunctionDef<QueueTrigger>, bound<QueueLambda>),
        });
        break;
      case 'timer':
        app.timer(def.name, {
          schedule: trigger.schedule,
          runOnStartup: false,
          handler: azureTimerHandler(def as FunctionDef<TimerTrigger>, bound<TimerLambda>),
        });
        break;
      case 'blob':
        app.storageBlob(def.name, {
          path: trigger.path,
          connection: STORAGE_CONNECTION,
          handler: azureBlobHandler(def as FunctionDef<BlobTrigger>, bound<BlobLambda>),
        });
        break;
    }
  }
}

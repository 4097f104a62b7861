/**
 * What a Lambda bundle's entry calls: the function's factory, bound by the composition root on
 * the first invocation with the services the bundle carries (its own, or every one for an
 * app-scoped service). The entry module itself is generated at bundle time
 * (adapters/aws/esbuild-plugins.ts), so the factory is imported statically and nothing else is.
 */
import { createApp, type Factory, type ModuleLoaders } from '../../app/app.ts';
import type { AnyHandler, BlobLambda, HttpLambda, QueueLambda, TimerLambda } from '../../kernel/functions.ts';
import { once } from '../../kernel/once.ts';
import type { ServiceManifest } from '../../kernel/services.ts';

export function lambdaEntry(name: string, factory: Factory, services: readonly ServiceManifest<unknown>[], modules: ModuleLoaders = {}) {
  const handler = once(async (): Promise<AnyHandler> => {
    const app = createApp({ services, env: process.env, modules });
    const def = app.find(name);
    if (!def) throw new Error(`No function named ${name} in this bundle's services.`);
    return app.bind(def, factory);
  });
  const lambda = async (event: never, context: never) => ((await handler()) as (event: never, context: never) => Promise<unknown>)(event, context);
  // Whichever kind the function is: the entry exports it as Lambda's handler of that kind.
  return lambda as unknown as HttpLambda & QueueLambda & TimerLambda & BlobLambda;
}

import { pathToFileURL } from 'node:url';
import type { FunctionDef, Trigger } from '../kernel/functions.ts';

// Handler modules sit beside this tree: sources when run from .ts, dist/ when run from .js.
const layerRoot = new URL('../', import.meta.url);
const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

/** `handlers/x/y#name` -> module `handlers/x/y`, export `name` (default `handler`). */
export function handlerReference(reference: string): { module: string; exportName: string } {
  const [module = '', exportName = 'handler'] = reference.split('#');
  return { module, exportName };
}

/** The URL of a handler module, sources or built. */
export function moduleUrl(module: string): string {
  return pathToFileURL(new URL(`${module}${extension}`, layerRoot).pathname).href;
}

/** The URL of a function's handler module, sources or built. */
export function handlerModuleUrl(def: FunctionDef & { handler: string }): string {
  return moduleUrl(handlerReference(def.handler).module);
}

/** Imports a function's handler module on first use and keeps it: one cold start per function. */
export function loadHandler<T extends Trigger>(def: FunctionDef<T>) {
  type Loaded = Awaited<ReturnType<NonNullable<FunctionDef<T>['load']>>>;
  let pending: Promise<Loaded['handler']> | undefined;
  return async () => {
    pending ??= (async () => {
      if (def.load) return (await def.load()).handler;
      const { module, exportName } = handlerReference(def.handler!);
      const handler = ((await import(moduleUrl(module))) as Record<string, unknown>)[exportName];
      if (typeof handler !== 'function') throw new Error(`${module} does not export a function named ${exportName}.`);
      return handler as Loaded['handler'];
    })();
    return pending;
  };
}

import { pathToFileURL } from 'node:url';
import type { FunctionDef, Trigger } from '../app/define.ts';

// Handler modules sit beside this tree: sources when run from .ts, dist/ when run from .js.
const layerRoot = new URL('../', import.meta.url);
const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

/** The URL of a function's handler module, sources or built. */
export function handlerModuleUrl(def: FunctionDef & { handler: string }): string {
  return pathToFileURL(new URL(`${def.handler}${extension}`, layerRoot).pathname).href;
}

/** Imports a function's handler module on first use and keeps it: one cold start per function. */
export function loadHandler<T extends Trigger>(def: FunctionDef<T>) {
  type Loaded = Awaited<ReturnType<NonNullable<FunctionDef<T>['load']>>>;
  let pending: Promise<Loaded> | undefined;
  return async () => {
    pending ??= def.load ? def.load() : (import(handlerModuleUrl(def as FunctionDef & { handler: string })) as Promise<Loaded>);
    const { handler } = await pending;
    if (typeof handler !== 'function') throw new Error(`${def.handler ?? def.name} does not export a handler function.`);
    return handler;
  };
}

import type { FunctionDef, Trigger } from '../../app/define.ts';

/** Imports a function's handler module on first use and keeps it: one cold start per function. */
export function loadHandler<T extends Trigger>(def: FunctionDef<T>) {
  let pending: ReturnType<FunctionDef<T>['load']> | undefined;
  return async () => {
    pending ??= def.load();
    return (await pending).handler;
  };
}

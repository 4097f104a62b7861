/** Racing work against a plugin call's deadline: the caller gets its answer when the time is up, whatever the work does. */
import { processingTimeout } from './errors.ts';
import type { Deadline } from './plugin.ts';

/** Settles with `work`, or rejects with 422 processing_timeout when the deadline passes first. */
export function withDeadline<T>(work: Promise<T>, deadline: Deadline): Promise<T> {
  const budget = deadline.remainingMs();
  if (deadline.signal.aborted) return Promise.reject(processingTimeout(budget));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(processingTimeout(budget));
    deadline.signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => deadline.signal.removeEventListener('abort', onAbort));
  });
}

/** Probing a dependency with a deadline, for the health routes of the platform and of each service. */
import type { DependencyReport } from '../domain/health.ts';

/** Resolves when the dependency answers, rejects when it does not. */
export type DependencyCheck = (signal: AbortSignal) => Promise<void>;

export async function probe(check: DependencyCheck, timeoutMs: number): Promise<DependencyReport> {
  const started = performance.now();
  const signal = AbortSignal.timeout(timeoutMs);
  const latency = () => Math.round(performance.now() - started);
  try {
    await Promise.race([
      check(signal),
      new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('timeout')), { once: true })),
    ]);
    // A check that only returned because it was aborted did not answer in time.
    if (signal.aborted) throw new Error('timeout');
    return { status: 'up', latencyMs: latency() };
  } catch {
    // Only a short reason: a driver's message may carry hosts or keys.
    return { status: 'down', latencyMs: latency(), error: signal.aborted ? 'timeout' : 'unreachable' };
  }
}

import type { HttpLambda } from '../../kernel/functions.ts';
import { getDependencyChecks, getHttpPlatform, type DependencyCheck } from '../../app/composition.ts';
import { getConfig } from '../../app/config.ts';
import { version } from '../../app/project.ts';
import { downDependencies, summarizeHealth, type DependencyReport } from '../../domain/health.ts';
import { httpHandler, json, type HttpPlatform } from '../../middleware/http-stack.ts';
import { health } from './functions.ts';

export interface HealthDeps {
  platform: HttpPlatform;
  version: string;
  checks: Record<string, DependencyCheck>;
  timeoutMs: number;
}

async function probe(check: DependencyCheck, timeoutMs: number): Promise<DependencyReport> {
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
  } catch (error) {
    // Only a short reason: a driver's message may carry hosts or keys.
    return { status: 'down', latencyMs: latency(), error: signal.aborted ? 'timeout' : 'unreachable' };
  }
}

export function createHandler(deps: HealthDeps): HttpLambda {
  return httpHandler(
    health,
    async (_event, context) => {
      const entries = await Promise.all(
        Object.entries(deps.checks).map(async ([name, check]) => [name, await probe(check, deps.timeoutMs)] as const),
      );
      const report = summarizeHealth(deps.version, Object.fromEntries(entries));
      const down = downDependencies(report);
      if (down.length > 0) context.log.warn({ down }, 'dependencies down');
      return json(down.length > 0 ? 503 : 200, report);
    },
    deps.platform,
  );
}

export const handler: HttpLambda = createHandler({
  platform: getHttpPlatform(),
  version,
  checks: getDependencyChecks(),
  timeoutMs: getConfig().healthTimeoutMs,
});

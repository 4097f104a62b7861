/**
 * The run job: reads one brand-site source into the feed (service.runSource). A listing page
 * that was slow or down is retried by the runtime with backoff and in the end dead-lettered;
 * a refused or gone one (a 4xx AppError) is dead-lettered at once.
 */
import { FetchFailedError } from '../../../domain/wardrobe/page-fetch.ts';
import type { JobRun } from '../../../kernel/jobs.ts';
import type { RunJobPayload } from './jobs.ts';
import { createDiscoverService, type DiscoverDeps } from './service.ts';

/** A site that was slow or down is retried; the job runtime dead-letters 4xx AppErrors at once. */
function forRuntime(error: unknown): unknown {
  if (error instanceof FetchFailedError && error.transient) return new Error(`${error.code}: ${error.message}`);
  return error;
}

export function createRun(deps: DiscoverDeps): JobRun<RunJobPayload> {
  const service = createDiscoverService(deps);
  return async (payload, context) => {
    try {
      const outcome = await service.runSource(payload.sourceId, context.signal);
      context.log.info({ ...outcome, runId: payload.runId }, 'source read');
    } catch (error) {
      throw forRuntime(error);
    }
  };
}

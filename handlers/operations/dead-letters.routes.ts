/** Dead-letter operations: list, replay, delete one, purge many. All admin-only (see functions.ts). */
import { notFound } from '../../domain/errors.ts';
import { json, type PorticoHttpHandler } from '../../middleware/http-stack.ts';
import { createDeadLetters, type DeadLetters } from '../../jobs/dead-letters.ts';
import type { JobClient } from '../../jobs/job-client.ts';
import type { JobRuntimeDeps } from '../../jobs/runtime-deps.ts';

/**
 * The job runtime (its store, queue and this deployment's job list, where dead letters are kept
 * and announced) and the job client that replays them.
 */
export interface DeadLetterRoutesDeps {
  jobRuntime: Pick<JobRuntimeDeps, 'documents' | 'queue' | 'clock' | 'logger' | 'jobs'>;
  jobs: JobClient;
}

export interface PurgeBody {
  type?: string;
  before?: string;
  max: number;
}

const deadLettersOf = (deps: DeadLetterRoutesDeps): DeadLetters => createDeadLetters(deps.jobRuntime, deps.jobs);

const idOf = (event: { pathParameters?: Record<string, string | undefined> }) => event.pathParameters?.id ?? '';

/** GET /api/admin/dead-letters?limit&continuation&type: newest first, a page at a time. */
export const listDeadLetters = (deps: DeadLetterRoutesDeps): PorticoHttpHandler => {
  const deadLetters = deadLettersOf(deps);
  return async (event) => {
    // Checked by the route's query schema (listQuery) before it gets here.
    const query = event.queryStringParameters as unknown as { limit: number; continuation?: string; type?: string };
    const page = await deadLetters.list({ limit: Number(query.limit), ...(query.continuation ? { continuation: query.continuation } : {}), ...(query.type ? { type: query.type } : {}) });
    return json(200, page);
  };
};

/** POST /api/admin/dead-letters/{id}/replay: re-enqueued with a fresh attempt count (202), the dead letter removed. */
export const replayDeadLetter = (deps: DeadLetterRoutesDeps): PorticoHttpHandler => {
  const deadLetters = deadLettersOf(deps);
  return async (event) => json(202, await deadLetters.replay(idOf(event)));
};

/** DELETE /api/admin/dead-letters/{id}: 204, or 404 when there is no such dead letter. */
export const deleteDeadLetter = (deps: DeadLetterRoutesDeps): PorticoHttpHandler => {
  const deadLetters = deadLettersOf(deps);
  return async (event) => {
    if (!(await deadLetters.purge(idOf(event)))) throw notFound(`No dead letter ${idOf(event)}.`);
    return { statusCode: 204, headers: {}, body: '' };
  };
};

/** POST /api/admin/dead-letters/purge: up to `max` of them, optionally of one type or older than `before`. */
export const purgeDeadLetters = (deps: DeadLetterRoutesDeps): PorticoHttpHandler<PurgeBody> => {
  const deadLetters = deadLettersOf(deps);
  return async (event) => json(200, await deadLetters.purgeMany(event.json));
};

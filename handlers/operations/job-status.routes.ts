/** The job-status route: what became of an enqueued job, while its record is kept. */
import { json, type PorticoHttpHandler } from '../../middleware/http-stack.ts';
import type { JobClient } from '../../jobs/job-client.ts';

export interface JobStatusRoutesDeps {
  jobs: Pick<JobClient, 'status'>;
}

/** GET /api/admin/jobs/{id}: a job's status, or 404 once its record has expired (or it never existed). */
export const getJob = (deps: JobStatusRoutesDeps): PorticoHttpHandler => async (event) => json(200, await deps.jobs.status(event.pathParameters?.id ?? ''));

import type { HttpLambda } from '../../kernel/functions.ts';
import { getHttpPlatform, getJobRuntimeDeps } from '../../app/composition.ts';
import { httpHandler, json, type HttpPlatform } from '../../middleware/http-stack.ts';
import { createJobClient, type JobClient } from '../../jobs/job-client.ts';
import { getJob } from './functions.ts';

/** GET /api/admin/jobs/{id}: a job's status, while its record is kept. */
export function createHandler(deps: { platform: HttpPlatform; jobs: Pick<JobClient, 'status'> }): HttpLambda {
  return httpHandler(getJob, async (event) => json(200, await deps.jobs.status(event.pathParameters?.id ?? '')), deps.platform);
}

export const handler: HttpLambda = createHandler({ platform: getHttpPlatform(), jobs: createJobClient(getJobRuntimeDeps()) });

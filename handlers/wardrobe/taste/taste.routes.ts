/** The job-backed taste routes, one factory per function: answers (enqueue the profile job), the job's status and the profile. */
import { notFound } from '../../../domain/errors.ts';
import type { JobStatus } from '../../../domain/jobs.ts';
import type { Clock, DocumentStore } from '../../../domain/ports.ts';
import { canonicalAnswers, checkAnswers, type TasteAnswer } from '../../../domain/wardrobe/taste.ts';
import { json, type PorticoHttpHandler } from '../../../middleware/http-stack.ts';
import { ownerOf } from '../../../middleware/resources.ts';
import type { JobClient } from '../../../jobs/job-client.ts';
import { traceOf } from '../../../middleware/trace-context.ts';
import { PROFILE_ID, profilesContainer, type TasteProfileDoc } from './store.ts';
import { ownsTasteJob, tasteJobId } from './ids.ts';
import { tasteJob } from './jobs.ts';
import type { TasteJobPayload } from './schemas.ts';

/** What POST /api/taste/quiz/answers uses. */
export interface TasteAnswersDeps {
  documents: DocumentStore;
  jobs: Pick<JobClient, 'enqueue'>;
  clock: Clock;
}

/** What a user sees of the runtime's statuses: a retry waiting for its turn is simply queued. */
const USER_STATUS: Record<JobStatus, 'queued' | 'running' | 'completed' | 'dead-lettered'> = {
  queued: 'queued',
  retrying: 'queued',
  running: 'running',
  completed: 'completed',
  'dead-lettered': 'dead-lettered',
};

/** POST /api/taste/quiz/answers: 202 with the id of the job that computes the profile. */
export const answers = (deps: TasteAnswersDeps): PorticoHttpHandler<{ answers: TasteAnswer[] }> => {
  const profiles = deps.documents.repository<TasteProfileDoc>(profilesContainer);
  return async (event, context) => {
    const userId = ownerOf(context);
    checkAnswers(event.json.answers);
    const answers = canonicalAnswers(event.json.answers);
    const revision = (await profiles.get(PROFILE_ID, userId))?.revision ?? 0;
    const payload: TasteJobPayload = { userId, answers, submittedAt: deps.clock.now().toISOString() };
    // Enqueueing with an explicit id is idempotent: a double submit answers the first job's id.
    const jobId = await deps.jobs.enqueue(tasteJob, payload, { jobId: tasteJobId(userId, revision, answers), ...traceOf(context) });
    return json(202, { jobId });
  };
};

/** GET /api/taste/jobs/{jobId}: the status of one of the caller's taste jobs (404 for anyone else's). */
export const job = (deps: { jobs: Pick<JobClient, 'status'> }): PorticoHttpHandler => async (event, context) => {
  const jobId = event.pathParameters?.jobId ?? '';
  if (!ownsTasteJob(ownerOf(context), jobId)) throw notFound(`No taste job ${jobId}.`);
  const record = await deps.jobs.status(jobId, tasteJob.type);
  const status = USER_STATUS[record.status];
  return json(200, {
    jobId,
    status,
    attempt: record.attempt,
    updatedAt: record.updatedAt,
    ...(record.completedAt ? { completedAt: record.completedAt } : {}),
    // The runtime's error text is for operators; the user learns only that it gave up.
    ...(status === 'dead-lettered' ? { error: 'The profile could not be computed; submit the answers again later.' } : {}),
  });
};

/** GET /api/taste/profile: the caller's profile, 404 until a quiz job has completed. */
export const profile = (deps: { documents: DocumentStore }): PorticoHttpHandler => {
  const profiles = deps.documents.repository<TasteProfileDoc>(profilesContainer);
  return async (_event, context) => {
    const stored = await profiles.get(PROFILE_ID, ownerOf(context));
    if (!stored) throw notFound('No taste profile yet: answer the quiz first.');
    const { etag: _etag, id: _id, userId: _userId, jobId: _jobId, expiresAt: _expiresAt, ...rest } = stored;
    return json(200, rest);
  };
};

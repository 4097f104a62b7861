/** The taste routes: the quiz, answers (enqueue the profile job), the job's status and the profile. */
import type { HttpLambda } from '../../../kernel/functions.ts';
import { getHttpPlatform, getJobRuntimeDeps, systemClock } from '../../../app/composition.ts';
import { notFound } from '../../../domain/errors.ts';
import type { JobStatus } from '../../../domain/jobs.ts';
import type { Clock, DocumentStore } from '../../../domain/ports.ts';
import { canonicalAnswers, checkAnswers, quizView, type TasteAnswer } from '../../../domain/wardrobe/taste.ts';
import { httpHandler, json, type HttpPlatform } from '../../../middleware/http-stack.ts';
import { ownerOf } from '../../../middleware/resources.ts';
import { createJobClient, type JobClient } from '../../../jobs/job-client.ts';
import { traceOf } from '../../../middleware/trace-context.ts';
import { PROFILE_ID, profilesContainer, type TasteProfileDoc } from './store.ts';
import { getQuiz, getTasteJob, getTasteProfile, submitAnswers } from './functions.ts';
import { ownsTasteJob, tasteJobId } from './ids.ts';
import { tasteJob, type TasteJobPayload } from './jobs.ts';

export interface TasteDeps {
  platform: HttpPlatform;
  documents: DocumentStore;
  jobs: Pick<JobClient, 'enqueue' | 'status'>;
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

export function createHandlers(deps: TasteDeps): Record<'quiz' | 'answers' | 'job' | 'profile', HttpLambda> {
  const profiles = deps.documents.repository<TasteProfileDoc>(profilesContainer);
  return {
    quiz: httpHandler(getQuiz, async () => json(200, quizView()), deps.platform),

    answers: httpHandler<{ answers: TasteAnswer[] }>(
      submitAnswers,
      async (event, context) => {
        const userId = ownerOf(context);
        checkAnswers(event.json.answers);
        const answers = canonicalAnswers(event.json.answers);
        const revision = (await profiles.get(PROFILE_ID, userId))?.revision ?? 0;
        const payload: TasteJobPayload = { userId, answers, submittedAt: deps.clock.now().toISOString() };
        // Enqueueing with an explicit id is idempotent: a double submit answers the first job's id.
        const jobId = await deps.jobs.enqueue(tasteJob, payload, { jobId: tasteJobId(userId, revision, answers), ...traceOf(context) });
        return json(202, { jobId });
      },
      deps.platform,
    ),

    job: httpHandler(
      getTasteJob,
      async (event, context) => {
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
      },
      deps.platform,
    ),

    profile: httpHandler(
      getTasteProfile,
      async (_event, context) => {
        const stored = await profiles.get(PROFILE_ID, ownerOf(context));
        if (!stored) throw notFound('No taste profile yet: answer the quiz first.');
        const { etag: _etag, id: _id, userId: _userId, jobId: _jobId, expiresAt: _expiresAt, ...profile } = stored;
        return json(200, profile);
      },
      deps.platform,
    ),
  };
}

const runtime = getJobRuntimeDeps();
export const { quiz, answers, job, profile } = createHandlers({ platform: getHttpPlatform(), documents: runtime.documents, jobs: createJobClient(runtime), clock: systemClock });

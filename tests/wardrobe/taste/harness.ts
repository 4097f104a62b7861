/**
 * The taste routes and job on memory ports, through the real job worker: each factory of
 * taste.routes.ts wrapped as `bind` wraps it (`httpHandler(def, inner, platform)`), and the job's
 * real `createRun` given inline, so a test can decorate its store and pick its retry settings.
 */
import type { HttpLambda } from '../../../kernel/functions.ts';
import type { JobSettings } from '../../../domain/jobs.ts';
import type { DocumentStore } from '../../../domain/ports.ts';
import * as defs from '../../../handlers/wardrobe/taste/functions.ts';
import { tasteJob } from '../../../handlers/wardrobe/taste/jobs.ts';
import { createRun } from '../../../handlers/wardrobe/taste/taste.job.ts';
import * as routes from '../../../handlers/wardrobe/taste/taste.routes.ts';
import { httpHandler } from '../../../middleware/http-stack.ts';
import type { Identity } from '../../../middleware/context.ts';
import type { JobSpec } from '../../../kernel/jobs.ts';
import { context, fastSettings, memoryRuntime, pump } from '../../support/jobs.ts';
import { httpEvent, lambdaContext, testPlatform, type EventInit } from '../../support/platform.ts';
import { unauthorized } from '../../../domain/errors.ts';

export { MINIMALIST } from './answers.ts';

/** `x-test-user: <id>` signs in as that user; no header is a 401. */
export const identityOf = (userId: string): Identity => ({ userId, qualifiedId: `portico|${userId}`, issuer: 'portico', via: 'token', roles: [], isAdmin: false });
export const testUsers = testPlatform({
  authenticate: async (event) => {
    const user = event.headers['x-test-user'];
    if (!user) throw unauthorized();
    return identityOf(user);
  },
});

export interface Reply {
  statusCode: number;
  json: Record<string, unknown>;
}

export async function call(handler: HttpLambda, init: EventInit & { user?: string; pathParameters?: Record<string, string> }): Promise<Reply> {
  const { user, pathParameters, ...rest } = init;
  const event = httpEvent({ ...rest, headers: { ...(rest.headers ?? {}), ...(user ? { 'x-test-user': user } : {}) } });
  const result = await handler({ ...event, ...(pathParameters ? { pathParameters } : {}) }, lambdaContext());
  return { statusCode: result.statusCode ?? 0, json: result.body ? (JSON.parse(result.body) as Record<string, unknown>) : {} };
}

export function tasteHarness(options: { settings?: JobSettings; profileUpdateMaxRetries?: number; documents?: (store: DocumentStore) => DocumentStore } = {}) {
  const spec: JobSpec = {
    ...(tasteJob as JobSpec),
    handler: undefined,
    // The real run, on this harness's store (possibly decorated).
    run: (payload, ctx) => createRun({ documents: store(), clock: harness.clock, settings: { taste: { profileUpdateMaxRetries: options.profileUpdateMaxRetries ?? 5 } } })(payload as never, ctx),
  };
  const harness = memoryRuntime([spec], options.settings ?? fastSettings);
  const decorated = options.documents ? options.documents(harness.deps.documents) : harness.deps.documents;
  const store = () => decorated;
  const deps = { documents: harness.deps.documents, jobs: harness.runtime.client, clock: harness.clock };
  const http = {
    answers: httpHandler(defs.submitAnswers, routes.answers(deps), testUsers),
    job: httpHandler(defs.getTasteJob, routes.job(deps), testUsers),
    profile: httpHandler(defs.getTasteProfile, routes.profile(deps), testUsers),
  };
  const drain = () => pump(harness.deps.queue, tasteJob.queue, (event) => harness.runtime.worker(event, context()));
  const submit = (user: string, answers: unknown, headers: Record<string, string> = {}) =>
    call(http.answers, { method: 'POST', path: '/api/taste/quiz/answers', user, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ answers }) });
  const jobStatus = (user: string, jobId: string) => call(http.job, { method: 'GET', path: `/api/taste/jobs/${jobId}`, user, pathParameters: { jobId } });
  const profile = (user: string) => call(http.profile, { method: 'GET', path: '/api/taste/profile', user });
  return { ...harness, spec, http, drain, submit, jobStatus, profile };
}

/**
 * The taste quiz routes and the taste job on memory ports, through the real job worker: each
 * factory of quiz.routes.ts wrapped as `bind` wraps it (`httpHandler(def, inner, platform)`), and the job's
 * real `createRun` given inline, so a test can decorate its store and pick its retry settings.
 */
import type { HttpLambda } from '../../../kernel/functions.ts';
import type { JobSettings } from '../../../domain/jobs.ts';
import type { DocumentStore } from '../../../domain/ports.ts';
import * as defs from '../../../handlers/wardrobe/taste/functions.ts';
import { tasteJob } from '../../../handlers/wardrobe/taste/jobs.ts';
import { createRun } from '../../../handlers/wardrobe/taste/taste.job.ts';
import * as routes from '../../../handlers/wardrobe/taste/quiz.routes.ts';
import { readProfile } from '../../../handlers/wardrobe/profile/store.ts';
import { expect } from '@jest/globals';
import { httpHandler } from '../../../middleware/http-stack.ts';
import type { Identity } from '../../../middleware/context.ts';
import type { JobSpec } from '../../../kernel/jobs.ts';
import { context, fastSettings, memoryRuntime, pump } from '../../support/jobs.ts';
import { httpEvent, lambdaContext, testPlatform, type EventInit } from '../../support/platform.ts';
import { unauthorized } from '../../../domain/errors.ts';


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

/** Ann likes Coastal and Edgy and dislikes Sporty: what `likeMoods` answers by default. */
export const LIKED = ['Coastal', 'Edgy'] as const;

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
  let session = 0;
  const deps = { documents: harness.deps.documents, jobs: harness.runtime.client, clock: harness.clock, ids: { next: () => `s${++session}` } };
  const http = {
    quiz: httpHandler(defs.getQuiz, routes.getQuiz(deps), testUsers),
    respond: httpHandler(defs.respondToQuiz, routes.respond(deps), testUsers),
    complete: httpHandler(defs.completeQuiz, routes.complete(deps), testUsers),
  };
  const drain = () => pump(harness.deps.queue, tasteJob.queue, (event) => harness.runtime.worker(event, context()));
  const quiz = (user?: string) => call(http.quiz, { method: 'GET', path: '/api/taste/quiz', ...(user ? { user } : {}) });
  const respond = (user: string, sessionId: string, body: unknown) =>
    call(http.respond, { method: 'POST', path: `/api/taste/quiz/${sessionId}/respond`, user, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), pathParameters: { sessionId } });
  const complete = (user: string, sessionId: string) => call(http.complete, { method: 'POST', path: `/api/taste/quiz/${sessionId}/complete`, user, pathParameters: { sessionId } });
  /** A whole session: opens it, likes `moods`, completes it; answers the session id. */
  const likeMoods = async (user: string, moods: readonly string[] = LIKED) => {
    const { sessionId } = (await quiz(user)).json as { sessionId: string };
    for (const mood of moods) await respond(user, sessionId, { signal: 'up', cardPrimaryMood: mood });
    expect((await complete(user, sessionId)).statusCode).toBe(200);
    return sessionId;
  };
  const confidence = async (user: string) => (await readProfile(harness.deps.documents, user)).styleConfidenceProfile;
  return { ...harness, spec, http, drain, quiz, respond, complete, likeMoods, confidence };
}

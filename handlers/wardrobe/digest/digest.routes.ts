/**
 * The digest routes (contract section 7.3): the latest digest (ETag, 304), the caller's history,
 * votes on its suggestions, running the caller's own digest now, and an admin's run for everyone.
 */
import { badRequest, notFound } from '../../../domain/errors.ts';
import type { Clock, DocumentStore, IdSource } from '../../../domain/ports.ts';
import { isoSeconds } from '../../../domain/time.ts';
import type { JobClient } from '../../../jobs/job-client.ts';
import { conditionalJson } from '../../../middleware/conditional-get.ts';
import { json, type PorticoHttpHandler } from '../../../middleware/http-stack.ts';
import { ownerOf, pageRequestOf } from '../../../middleware/resources.ts';
import { traceOf } from '../../../middleware/trace-context.ts';
import { createDigestBuilder, digestPages, digestView, isCurrentDigest, startDigestRun } from './service.ts';
import { digestFeedbackContainer, digestsContainer, type DigestDoc, type DigestFeedbackDoc } from './store.ts';

export interface DigestReadDeps {
  documents: DocumentStore;
}

export interface DigestFeedbackDeps {
  documents: DocumentStore;
  clock: Clock;
}

export interface DigestBuildDeps {
  documents: DocumentStore;
  clock: Clock;
}

export interface DigestRunDeps {
  documents: DocumentStore;
  jobs: Pick<JobClient, 'enqueue'>;
  clock: Clock;
  ids: IdSource;
}

/** GET /api/digest/latest: `{digest}`, null until the first one is built; ETag, 304 on If-None-Match. */
export const latest = (deps: DigestReadDeps): PorticoHttpHandler => {
  const page = digestPages(deps.documents);
  return async (event, context) => {
    const [newest] = (await page(ownerOf(context), 1)).items;
    return conditionalJson(event, { digest: newest ? digestView(newest) : null });
  };
};

/** GET /api/digest: the caller's digests, newest first, a page at a time. */
export const history = (deps: DigestReadDeps): PorticoHttpHandler => {
  const page = digestPages(deps.documents);
  return async (event, context) => {
    const { limit, continuation } = pageRequestOf(event, 10);
    const result = await page(ownerOf(context), limit, continuation);
    return json(200, { items: result.items.map(digestView), ...(result.continuation ? { continuation: result.continuation } : {}) });
  };
};

/** The caller's digest of that id; another user's is not found (their partition is not searched). */
async function ownDigest(documents: DocumentStore, userId: string, digestId: string): Promise<DigestDoc> {
  const digest = await documents.repository<DigestDoc>(digestsContainer).get(digestId, userId);
  if (!digest || !isCurrentDigest(digest)) throw notFound('No such digest.');
  return digest;
}

/** GET /api/digest/feedback?digestId=: the caller's votes on that digest's suggestions, by index. */
export const listFeedback = (deps: DigestReadDeps): PorticoHttpHandler => async (event, context) => {
  const userId = ownerOf(context);
  const digestId = event.queryStringParameters!.digestId!;
  await ownDigest(deps.documents, userId, digestId);
  const votes: DigestFeedbackDoc[] = [];
  let continuation: string | undefined;
  do {
    const page = await deps.documents.repository<DigestFeedbackDoc>(digestFeedbackContainer).query({
      partitionKey: userId,
      filters: [{ field: 'userId', op: '=', value: userId }, { field: 'digestId', op: '=', value: digestId }],
      orderBy: { field: 'suggestionIndex', direction: 'asc' },
      limit: 100,
      ...(continuation ? { continuation } : {}),
    });
    votes.push(...page.items);
    continuation = page.continuation;
  } while (continuation);
  return json(200, { feedback: votes.map((vote) => ({ suggestionIndex: vote.suggestionIndex, signal: vote.signal })) });
};

interface FeedbackBody {
  digestId: string;
  suggestionIndex: number;
  suggestionDescription?: string | null;
  signal: 'up' | 'down';
}

/** POST /api/digest/feedback: a vote on one suggestion; voting again on it overwrites the vote. */
export const sendFeedback = (deps: DigestFeedbackDeps): PorticoHttpHandler<FeedbackBody> => async (event, context) => {
  const userId = ownerOf(context);
  const body = event.json;
  const digest = await ownDigest(deps.documents, userId, body.digestId);
  if (body.suggestionIndex >= digest.suggestions.length) {
    throw badRequest('invalid_suggestion_index', `Suggestion ${body.suggestionIndex} is not in this digest (it has ${digest.suggestions.length}).`, [
      { pointer: '/body/suggestionIndex', detail: `must be below ${digest.suggestions.length}` },
    ]);
  }
  await deps.documents.repository<DigestFeedbackDoc>(digestFeedbackContainer).upsert({
    id: `${body.digestId}-${body.suggestionIndex}`,
    userId,
    digestId: body.digestId,
    suggestionIndex: body.suggestionIndex,
    suggestionDescription: body.suggestionDescription ?? '',
    signal: body.signal,
    updatedAt: isoSeconds(deps.clock.now()),
  });
  return json(200, { status: 'ok' });
};

/** POST /api/digest/run?force=: builds the caller's digest now; skipped when nothing changed, unless forced. */
export const runOwn = (deps: DigestBuildDeps): PorticoHttpHandler => {
  const builder = createDigestBuilder(deps);
  return async (event, context) => {
    const force = String(event.queryStringParameters?.force) === 'true';
    return json(200, await builder.build(ownerOf(context), deps.clock.now(), { force }));
  };
};

/** POST /api/admin/digest/run?userId=: starts a run now, for everyone or one user; 202 with its jobs. */
export const run = (deps: DigestRunDeps): PorticoHttpHandler => async (event, context) => {
  const userId = event.queryStringParameters?.userId;
  // A fresh run id: unlike a timer slot, asking again means building again.
  const started = await startDigestRun(deps, { runId: `admin-${deps.ids.next()}`, asOf: deps.clock.now(), ...(userId ? { userId } : {}), ...traceOf(context) });
  return json(202, started);
};

/** The digest routes: the latest digest, the history, and an admin's run-it-now. */
import type { HttpLambda } from '../../../kernel/functions.ts';
import { getHttpPlatform, getJobRuntimeDeps, randomIds, systemClock } from '../../../app/composition.ts';
import { notFound } from '../../../domain/errors.ts';
import type { Clock, DocumentStore, IdSource, Stored } from '../../../domain/ports.ts';
import { httpHandler, json, type HttpPlatform } from '../../../middleware/http-stack.ts';
import { ownerOf, pageRequestOf } from '../../../middleware/resources.ts';
import { createJobClient, type JobClient } from '../../../jobs/job-client.ts';
import { traceOf } from '../../../middleware/trace-context.ts';
import { startDigestRun } from './build.ts';
import { digestsContainer, type DigestDoc } from './store.ts';
import { digestHistory, latestDigest, runDigest } from './functions.ts';

export interface DigestRouteDeps {
  platform: HttpPlatform;
  documents: DocumentStore;
  jobs: Pick<JobClient, 'enqueue'>;
  clock: Clock;
  ids: IdSource;
}

/** What the owner sees: not the storage fields, nor the per-item snapshot kept for next week. */
const view = ({ etag: _etag, id: _id, userId: _userId, snapshot: _snapshot, expiresAt: _expiresAt, ...rest }: Stored<DigestDoc>) => rest;

export function createHandlers(deps: DigestRouteDeps): Record<'latest' | 'history' | 'run', HttpLambda> {
  const digests = deps.documents.repository<DigestDoc>(digestsContainer);
  const page = (userId: string, limit: number, continuation?: string) =>
    digests.query({ partitionKey: userId, filters: [{ field: 'userId', op: '=', value: userId }], orderBy: { field: 'week', direction: 'desc' }, limit, ...(continuation ? { continuation } : {}) });

  return {
    latest: httpHandler(
      latestDigest,
      async (_event, context) => {
        const [newest] = (await page(ownerOf(context), 1)).items;
        if (!newest) throw notFound('No digest yet: the first one is built on the next weekly run.');
        return json(200, view(newest));
      },
      deps.platform,
    ),

    history: httpHandler(
      digestHistory,
      async (event, context) => {
        const { limit, continuation } = pageRequestOf(event, 10);
        const result = await page(ownerOf(context), limit, continuation);
        return json(200, { items: result.items.map(view), ...(result.continuation ? { continuation: result.continuation } : {}) });
      },
      deps.platform,
    ),

    run: httpHandler(
      runDigest,
      async (event, context) => {
        const userId = event.queryStringParameters?.userId;
        // A fresh run id: unlike a timer slot, asking again means building again.
        const run = await startDigestRun(deps, { runId: `admin-${deps.ids.next()}`, asOf: deps.clock.now(), ...(userId ? { userId } : {}), ...traceOf(context) });
        return json(202, run);
      },
      deps.platform,
    ),
  };
}

const runtime = getJobRuntimeDeps();
export const { latest, history, run } = createHandlers({ platform: getHttpPlatform(), documents: runtime.documents, jobs: createJobClient(runtime), clock: systemClock, ids: randomIds });

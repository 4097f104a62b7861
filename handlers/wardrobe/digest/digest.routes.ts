/** The digest routes: the latest digest, the history, and an admin's run-it-now. */
import { notFound } from '../../../domain/errors.ts';
import type { Clock, DocumentStore, IdSource, Stored } from '../../../domain/ports.ts';
import { json, type PorticoHttpHandler } from '../../../middleware/http-stack.ts';
import { ownerOf, pageRequestOf } from '../../../middleware/resources.ts';
import type { JobClient } from '../../../jobs/job-client.ts';
import { traceOf } from '../../../middleware/trace-context.ts';
import { startDigestRun } from './service.ts';
import { digestsContainer, type DigestDoc } from './store.ts';

export interface DigestReadDeps {
  documents: DocumentStore;
}

export interface DigestRunDeps {
  documents: DocumentStore;
  jobs: Pick<JobClient, 'enqueue'>;
  clock: Clock;
  ids: IdSource;
}

/** What the owner sees: not the storage fields, nor the per-item snapshot kept for next week. */
const view = ({ etag: _etag, id: _id, userId: _userId, snapshot: _snapshot, expiresAt: _expiresAt, ...rest }: Stored<DigestDoc>) => rest;

/** A page of the user's digests, newest week first. */
function digestPages(documents: DocumentStore) {
  const digests = documents.repository<DigestDoc>(digestsContainer);
  return (userId: string, limit: number, continuation?: string) =>
    digests.query({ partitionKey: userId, filters: [{ field: 'userId', op: '=', value: userId }], orderBy: { field: 'week', direction: 'desc' }, limit, ...(continuation ? { continuation } : {}) });
}

/** GET /api/digest/latest: the caller's newest digest, 404 until the first run built one. */
export const latest = (deps: DigestReadDeps): PorticoHttpHandler => {
  const page = digestPages(deps.documents);
  return async (_event, context) => {
    const [newest] = (await page(ownerOf(context), 1)).items;
    if (!newest) throw notFound('No digest yet: the first one is built on the next weekly run.');
    return json(200, view(newest));
  };
};

/** GET /api/digest: the caller's digests, newest week first, a page at a time. */
export const history = (deps: DigestReadDeps): PorticoHttpHandler => {
  const page = digestPages(deps.documents);
  return async (event, context) => {
    const { limit, continuation } = pageRequestOf(event, 10);
    const result = await page(ownerOf(context), limit, continuation);
    return json(200, { items: result.items.map(view), ...(result.continuation ? { continuation: result.continuation } : {}) });
  };
};

/** POST /api/admin/digest/run?userId=: starts a run now, for everyone or one user; 202 with its jobs. */
export const run = (deps: DigestRunDeps): PorticoHttpHandler => async (event, context) => {
  const userId = event.queryStringParameters?.userId;
  // A fresh run id: unlike a timer slot, asking again means building again.
  const started = await startDigestRun(deps, { runId: `admin-${deps.ids.next()}`, asOf: deps.clock.now(), ...(userId ? { userId } : {}), ...traceOf(context) });
  return json(202, started);
};

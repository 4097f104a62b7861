/**
 * The digest and vault insights routes, each factory wired through the real HTTP stack on one
 * document store (memory, or Cosmos when a test passes one) and a controllable clock.
 */
import { createHash } from 'node:crypto';
import { MemoryDocumentStore } from '../../../adapters/memory/documents.ts';
import type { DocumentStore } from '../../../domain/ports.ts';
import type { StoredClothingItem } from '../../../domain/wardrobe/clothing-item.ts';
import { history, latest, listFeedback, runOwn, sendFeedback } from '../../../handlers/wardrobe/digest/digest.routes.ts';
import { digestFeedbackList, digestFeedbackSend, digestHistory, latestDigest, runOwnDigest } from '../../../handlers/wardrobe/digest/functions.ts';
import { vaultInsights as vaultInsightsDef } from '../../../handlers/wardrobe/insights/functions.ts';
import { vaultInsights } from '../../../handlers/wardrobe/insights/insights.routes.ts';
import type { StoredItemDoc } from '../../../handlers/wardrobe/insights/store.ts';
import { itemsContainer } from '../../../handlers/wardrobe/items/store.ts';
import { httpHandler } from '../../../middleware/http-stack.ts';
import { testClock } from '../../support/jobs.ts';
import { call, platform, type Reply } from '../scraper/support.ts';
import { MONDAY } from './items.ts';

export const NO_STORE = 'no-cache, no-store, max-age=0, must-revalidate';

/** The ETag the contract defines, computed here independently: keys sorted at every depth, no spaces. */
export function expectedEtag(body: unknown): string {
  const sorted = (value: unknown): unknown =>
    Array.isArray(value) ? value.map(sorted) : value !== null && typeof value === 'object' ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, inner]) => [key, sorted(inner)])) : value;
  return `"${createHash('sha256').update(JSON.stringify(sorted(body))).digest('hex')}"`;
}

export function routesHarness(options: { store?: DocumentStore; clock?: ReturnType<typeof testClock> } = {}) {
  const clock = options.clock ?? testClock(MONDAY.getTime());
  const documents = options.store ?? new MemoryDocumentStore(clock);
  const deps = { documents, clock };
  const http = {
    latest: httpHandler(latestDigest, latest(deps), platform),
    history: httpHandler(digestHistory, history(deps), platform),
    listFeedback: httpHandler(digestFeedbackList, listFeedback(deps), platform),
    sendFeedback: httpHandler(digestFeedbackSend, sendFeedback(deps), platform),
    run: httpHandler(runOwnDigest, runOwn(deps), platform),
    insights: httpHandler(vaultInsightsDef, vaultInsights(deps), platform),
  };
  const seed = async (items: readonly StoredClothingItem[]) => {
    for (const entry of items) await documents.repository<StoredItemDoc>(itemsContainer).upsert(entry as StoredItemDoc);
  };
  const as = (user: string | undefined) => {
    const who = user ? { user } : {};
    return {
      latest: (headers: Record<string, string> = {}) => call(http.latest, { method: 'GET', path: '/api/digest/latest', ...who, headers }),
      history: (query = '') => call(http.history, { method: 'GET', path: '/api/digest', ...who, query }),
      feedback: (query: string) => call(http.listFeedback, { method: 'GET', path: '/api/digest/feedback', ...who, query }),
      vote: (body: unknown) => call(http.sendFeedback, { method: 'POST', path: '/api/digest/feedback', ...who, body: JSON.stringify(body) }),
      run: (query = '') => call(http.run, { method: 'POST', path: '/api/digest/run', ...who, query }),
      insights: (query = '', headers: Record<string, string> = {}) => call(http.insights, { method: 'GET', path: '/api/insights/vault', ...who, query, headers }),
    };
  };
  return { clock, documents, seed, as };
}

export type { Reply };

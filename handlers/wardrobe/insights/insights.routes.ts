/** GET /api/insights/vault: the vault insights over the caller's finalised items, with an ETag (304 on a match). */
import type { Clock, DocumentStore } from '../../../domain/ports.ts';
import { vaultInsights as computeInsights } from '../../../domain/wardrobe/insights.ts';
import { conditionalJson } from '../../../middleware/conditional-get.ts';
import type { PorticoHttpHandler } from '../../../middleware/http-stack.ts';
import { ownerOf } from '../../../middleware/resources.ts';
import { ownedItemsOf } from './store.ts';

export interface InsightsDeps {
  documents: DocumentStore;
  clock: Clock;
}

export const vaultInsights = (deps: InsightsDeps): PorticoHttpHandler => async (event, context) => {
  // The query schema validated, coerced and defaulted both.
  const query = (event.queryStringParameters ?? {}) as unknown as { windowDays: number; targetCpw: number };
  const items = await ownedItemsOf(deps.documents, ownerOf(context));
  return conditionalJson(event, computeInsights(items, { now: deps.clock.now(), windowDays: Number(query.windowDays), targetCpw: Number(query.targetCpw) }));
};

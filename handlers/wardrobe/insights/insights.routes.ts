/**
 * GET /api/insights/vault: the vault insights over the caller's finalised items, with an ETag
 * (304 on a match), in the currency the caller chose in their profile. A user who never chose
 * one gets the currency most of their priced items use rather than the default profile's USD
 * (which would count a EUR wardrobe as all unpriced).
 */
import type { Clock, DocumentStore } from '../../../domain/ports.ts';
import { vaultInsights as computeInsights } from '../../../domain/wardrobe/insights.ts';
import { conditionalJson } from '../../../middleware/conditional-get.ts';
import type { PorticoHttpHandler } from '../../../middleware/http-stack.ts';
import { ownerOf } from '../../../middleware/resources.ts';
import { chosenCurrency } from '../profile/store.ts';
import { ownedItemsOf } from './store.ts';

export interface InsightsDeps {
  documents: DocumentStore;
  clock: Clock;
}

export const vaultInsights = (deps: InsightsDeps): PorticoHttpHandler => async (event, context) => {
  // The query schema validated, coerced and defaulted both.
  const query = (event.queryStringParameters ?? {}) as unknown as { windowDays: number; targetCpw: number };
  const owner = ownerOf(context);
  const [items, currency] = await Promise.all([ownedItemsOf(deps.documents, owner), chosenCurrency(deps.documents, owner)]);
  const options = { now: deps.clock.now(), windowDays: Number(query.windowDays), targetCpw: Number(query.targetCpw), preferredCurrency: currency };
  return conditionalJson(event, computeInsights(items, options));
};

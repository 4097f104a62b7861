/**
 * Wear tracking routes (contract section 6.4; see functions.ts): logging a wear, an item's wear
 * history, styling activities and the wear suggestions they raise.
 */
import type { WearBody } from '../../../domain/wardrobe/wears.ts';
import { json, type PorticoHttpHandler } from '../../../middleware/http-stack.ts';
import { etagHeader, ownerOf, pathId } from '../../../middleware/resources.ts';
import { createItemsService, type WardrobeItemsDeps } from './service.ts';

/** PATCH /api/wardrobe/{id}/wear: the item after the wear (unchanged for a repeated clientEventId). */
export const logWear = (deps: WardrobeItemsDeps): PorticoHttpHandler<WearBody | undefined> => {
  const service = createItemsService(deps);
  return async (event, context) => {
    const item = await service.wear(ownerOf(context), pathId(event), event.json ?? {});
    return json(200, await service.present(item), etagHeader(item.etag));
  };
};

/** GET /api/wardrobe/{id}/wear-history?from&to. */
export const wearHistory = (deps: WardrobeItemsDeps): PorticoHttpHandler => {
  const service = createItemsService(deps);
  return async (event, context) => {
    const query = (event.queryStringParameters ?? {}) as { from?: string; to?: string };
    return json(200, await service.history(ownerOf(context), pathId(event), query.from, query.to));
  };
};

export interface StylingActivityBody {
  itemId: string;
  clientEventId?: string;
  activityType?: string;
  source?: string;
  occurredAt?: string;
}

/** POST /api/wardrobe/styling-activity: `{status: "recorded", activityId}`. */
export const recordStylingActivity = (deps: WardrobeItemsDeps): PorticoHttpHandler<StylingActivityBody> => {
  const service = createItemsService(deps);
  return async (event, context) => json(200, await service.recordActivity(ownerOf(context), event.json));
};

/** GET /api/wardrobe/suggestions/wear: `{suggestions}`. */
export const listWearSuggestions = (deps: WardrobeItemsDeps): PorticoHttpHandler => {
  const service = createItemsService(deps);
  return async (_event, context) => json(200, await service.suggestions(ownerOf(context)));
};

/** PATCH /api/wardrobe/suggestions/wear/{suggestionId}: `{status: "updated"}`. */
export const updateWearSuggestion = (deps: WardrobeItemsDeps): PorticoHttpHandler<{ status: 'Accepted' | 'Dismissed' }> => {
  const service = createItemsService(deps);
  return async (event, context) => json(200, await service.settleSuggestion(ownerOf(context), pathId(event, 'suggestionId'), event.json.status));
};

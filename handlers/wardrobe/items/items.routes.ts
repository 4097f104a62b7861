/**
 * The wardrobe item routes (see functions.ts): one factory per function, each a thin HTTP shell
 * over the items service. `bind` wraps what they return in the standard stack.
 */
import type { ItemInput, ItemPatch } from '../../../domain/wardrobe/item-rules.ts';
import { json, type PorticoHttpHandler } from '../../../middleware/http-stack.ts';
import { ownedResourceRoutes, type OwnedResourceRoutes } from '../../../middleware/resource-routes.ts';
import { ownerOf, pathId } from '../../../middleware/resources.ts';
import { createItemsService, type ItemsDeps, type ListOptions } from './service.ts';

/** What the item routes use: the document store, the clock and the id source. */
export type ItemRoutesDeps = ItemsDeps;

export interface WearBody {
  wearId: string;
  wornAt?: string;
}

function itemResource(deps: ItemRoutesDeps): OwnedResourceRoutes<ItemInput, ItemPatch> {
  return ownedResourceRoutes({ service: createItemsService(deps), locationOf: (id) => `/api/wardrobe/items/${encodeURIComponent(id)}` });
}

/** GET /api/wardrobe/items: a page of the caller's items, filtered and sorted by the validated query. */
export const listItems = (deps: ItemRoutesDeps): PorticoHttpHandler => {
  const service = createItemsService(deps);
  return async (event, context) => json(200, await service.list(ownerOf(context), event.queryStringParameters as unknown as ListOptions));
};

/** POST /api/wardrobe/items: 201 with the item, its ETag and its Location. */
export const createItem = (deps: ItemRoutesDeps): PorticoHttpHandler<ItemInput> => itemResource(deps).create;

/** GET /api/wardrobe/items/{id}. */
export const getItem = (deps: ItemRoutesDeps): PorticoHttpHandler => itemResource(deps).get;

/** PATCH /api/wardrobe/items/{id} (If-Match honoured). */
export const updateItem = (deps: ItemRoutesDeps): PorticoHttpHandler<ItemPatch> => itemResource(deps).update;

/** DELETE /api/wardrobe/items/{id} (If-Match honoured). */
export const deleteItem = (deps: ItemRoutesDeps): PorticoHttpHandler => itemResource(deps).remove;

/** POST /api/wardrobe/items/{id}/wear: logs a wear once per wearId. */
export const logWear = (deps: ItemRoutesDeps): PorticoHttpHandler<WearBody> => {
  const service = createItemsService(deps);
  return async (event, context) => json(200, await service.wear(ownerOf(context), pathId(event), event.json));
};

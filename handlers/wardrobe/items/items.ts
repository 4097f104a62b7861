/** The wardrobe item routes (see functions.ts): thin HTTP shells over the items service. */
import type { HttpLambda } from '../../../kernel/functions.ts';
import { getDocumentStore, getHttpPlatform, randomIds, systemClock } from '../../../app/composition.ts';
import type { ItemInput, ItemPatch } from '../../../domain/wardrobe/item-rules.ts';
import { httpHandler, json, type HttpPlatform } from '../../../middleware/http-stack.ts';
import * as defs from './functions.ts';
import { ownedResourceRoutes } from '../../../middleware/resource-routes.ts';
import { ownerOf, pathId } from '../../../middleware/resources.ts';
import { createItemsService, type ItemsDeps, type ItemView, type ListOptions } from './service.ts';

export interface ItemRoutesDeps extends ItemsDeps {
  platform: HttpPlatform;
}

export type ItemRoute = 'list' | 'create' | 'get' | 'update' | 'remove' | 'wear';

export function createHandlers(deps: ItemRoutesDeps): Record<ItemRoute, HttpLambda> {
  const service = createItemsService(deps);
  const { platform } = deps;
  return {
    list: httpHandler(
      defs.listItems,
      async (event, context) => json(200, await service.list(ownerOf(context), event.queryStringParameters as unknown as ListOptions)),
      platform,
    ),
    ...ownedResourceRoutes<ItemInput, ItemPatch, ItemView>({
      defs: { create: defs.createItem, get: defs.getItem, update: defs.updateItem, remove: defs.deleteItem },
      service,
      platform,
      locationOf: (id) => `/api/wardrobe/items/${encodeURIComponent(id)}`,
    }),
    wear: httpHandler<{ wearId: string; wornAt?: string }>(
      defs.logWear,
      async (event, context) => json(200, await service.wear(ownerOf(context), pathId(event), event.json)),
      platform,
    ),
  };
}

const handlers = createHandlers({ platform: getHttpPlatform(), documents: getDocumentStore(), clock: systemClock, ids: randomIds });
export const { list, create, get, update, remove, wear } = handlers;

/** The wardrobe item routes (see functions.ts): thin HTTP shells over the items service. */
import type { HttpLambda } from '../../../app/define.ts';
import { getDocumentStore, getHttpPlatform, randomIds, systemClock } from '../../../app/composition.ts';
import type { ItemInput, ItemPatch } from '../../../domain/wardrobe/item-rules.ts';
import { httpHandler, json, type HttpPlatform } from '../../../middleware/http-stack.ts';
import * as defs from './functions.ts';
import { etagHeader, ifMatchOf, ownerOf, pathId } from './http.ts';
import { createItemsService, type ItemsDeps, type ListOptions } from './service.ts';

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
    create: httpHandler<ItemInput>(
      defs.createItem,
      async (event, context) => {
        const item = await service.create(ownerOf(context), event.json);
        return json(201, item, { ...etagHeader(item.etag), location: `/api/wardrobe/items/${encodeURIComponent(item.id)}` });
      },
      platform,
    ),
    get: httpHandler(
      defs.getItem,
      async (event, context) => {
        const item = await service.get(ownerOf(context), pathId(event));
        return json(200, item, etagHeader(item.etag));
      },
      platform,
    ),
    update: httpHandler<ItemPatch>(
      defs.updateItem,
      async (event, context) => {
        const item = await service.update(ownerOf(context), pathId(event), event.json, ifMatchOf(event));
        return json(200, item, etagHeader(item.etag));
      },
      platform,
    ),
    remove: httpHandler(
      defs.deleteItem,
      async (event, context) => {
        await service.remove(ownerOf(context), pathId(event), ifMatchOf(event));
        return { statusCode: 204, headers: {}, body: '' };
      },
      platform,
    ),
    wear: httpHandler<{ wearId: string; wornAt?: string }>(
      defs.logWear,
      async (event, context) => json(200, await service.wear(ownerOf(context), pathId(event), event.json)),
      platform,
    ),
  };
}

const handlers = createHandlers({ platform: getHttpPlatform(), documents: getDocumentStore(), clock: systemClock, ids: randomIds });
export const { list, create, get, update, remove, wear } = handlers;

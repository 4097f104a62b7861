/**
 * The wardrobe item routes (contract sections 6.1, 6.2; see functions.ts): one factory per
 * function, each a thin HTTP shell over the items service. `bind` wraps what they return in the
 * standard stack (auth, validation, problem+json errors).
 */
import type { ClothingItemBody } from '../../../domain/wardrobe/item-rules.ts';
import type { RawListQuery } from '../../../domain/wardrobe/items.ts';
import { json, type PorticoHttpHandler } from '../../../middleware/http-stack.ts';
import { etagHeader, ifMatchOf, ownerOf, pathId } from '../../../middleware/resources.ts';
import { createItemsService, type WardrobeItemsDeps } from './service.ts';

/** GET /api/wardrobe: `{items, nextContinuationToken?}`, filtered and sorted by the query. */
export const listItems = (deps: WardrobeItemsDeps): PorticoHttpHandler => {
  const service = createItemsService(deps);
  return async (event, context) => json(200, await service.list(ownerOf(context), (event.queryStringParameters ?? {}) as unknown as RawListQuery));
};

/** POST /api/wardrobe: 201 with the item, its Location and its ETag. */
export const createItem = (deps: WardrobeItemsDeps): PorticoHttpHandler<ClothingItemBody> => {
  const service = createItemsService(deps);
  return async (event, context) => {
    const created = await service.create(ownerOf(context), event.json);
    return json(201, await service.present(created), { ...etagHeader(created.etag), location: `/api/wardrobe/${encodeURIComponent(created.id)}` });
  };
};

/** GET /api/wardrobe/{id}: the item with its ETag. */
export const getItem = (deps: WardrobeItemsDeps): PorticoHttpHandler => {
  const service = createItemsService(deps);
  return async (event, context) => {
    const found = await service.get(ownerOf(context), pathId(event));
    return json(200, await service.present(found), etagHeader(found.etag));
  };
};

/** PUT /api/wardrobe/{id}: full replace of the client fields; 204 with the new ETag (If-Match honoured). */
export const replaceItem = (deps: WardrobeItemsDeps): PorticoHttpHandler<ClothingItemBody> => {
  const service = createItemsService(deps);
  return async (event, context) => {
    const written = await service.replace(ownerOf(context), pathId(event), event.json, ifMatchOf(event));
    return { statusCode: 204, headers: etagHeader(written.etag), body: '' };
  };
};

/** DELETE /api/wardrobe/{id}: 204; the item's images and wear history go with it (If-Match honoured). */
export const deleteItem = (deps: WardrobeItemsDeps): PorticoHttpHandler => {
  const service = createItemsService(deps);
  return async (event, context) => {
    await service.remove(ownerOf(context), pathId(event), ifMatchOf(event));
    return { statusCode: 204, headers: {}, body: '' };
  };
};

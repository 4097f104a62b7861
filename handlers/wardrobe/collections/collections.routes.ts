/**
 * The collections routes (see functions.ts): one factory per function, each a thin HTTP shell
 * over the collections service. `bind` wraps what they return in the standard stack.
 */
import { json, type PorticoHttpHandler } from '../../../middleware/http-stack.ts';
import { ifMatchOf, ownerOf, pathId } from '../../../middleware/resources.ts';
import { createCollectionsService, type CollectionsDeps, type NewCollection } from './service.ts';

const noContent = () => ({ statusCode: 204, headers: {}, body: '' });

/** GET /api/collections: a bare array, owned and joined. */
export const listCollections = (deps: CollectionsDeps): PorticoHttpHandler => {
  const service = createCollectionsService(deps);
  return async (_event, context) => json(200, await service.list(ownerOf(context)));
};

/** POST /api/collections: 201 with the collection and its Location. */
export const createCollection = (deps: CollectionsDeps): PorticoHttpHandler<NewCollection> => {
  const service = createCollectionsService(deps);
  return async (event, context) => {
    const created = await service.create(ownerOf(context), event.json);
    return json(201, created, { location: `/api/collections/${encodeURIComponent(created.id)}` });
  };
};

/** GET /api/collections/{id}, with its ETag. */
export const getCollection = (deps: CollectionsDeps): PorticoHttpHandler => {
  const service = createCollectionsService(deps);
  return async (event, context) => {
    const { collection, etag } = await service.get(ownerOf(context), pathId(event));
    return json(200, collection, { etag });
  };
};

/** PUT /api/collections/{id}: partial, owner only, 204. */
export const updateCollection = (deps: CollectionsDeps): PorticoHttpHandler<Record<string, unknown>> => {
  const service = createCollectionsService(deps);
  return async (event, context) => {
    await service.update(ownerOf(context), pathId(event), event.json, ifMatchOf(event));
    return noContent();
  };
};

/** DELETE /api/collections/{id}: 204 always. */
export const deleteCollection = (deps: CollectionsDeps): PorticoHttpHandler => {
  const service = createCollectionsService(deps);
  return async (event, context) => {
    await service.remove(ownerOf(context), pathId(event));
    return noContent();
  };
};

/** POST /api/collections/{id}/join. */
export const joinCollection = (deps: CollectionsDeps): PorticoHttpHandler => {
  const service = createCollectionsService(deps);
  return async (event, context) => {
    await service.join(ownerOf(context), pathId(event));
    return noContent();
  };
};

/** DELETE /api/collections/{id}/leave. */
export const leaveCollection = (deps: CollectionsDeps): PorticoHttpHandler => {
  const service = createCollectionsService(deps);
  return async (event, context) => {
    await service.leave(ownerOf(context), pathId(event));
    return noContent();
  };
};

/** POST /api/collections/{id}/items `{ itemId }`. */
export const addCollectionItem = (deps: CollectionsDeps): PorticoHttpHandler<{ itemId: string }> => {
  const service = createCollectionsService(deps);
  return async (event, context) => {
    await service.addItem(ownerOf(context), pathId(event), event.json.itemId);
    return noContent();
  };
};

/** DELETE /api/collections/{id}/items/{itemId}. */
export const removeCollectionItem = (deps: CollectionsDeps): PorticoHttpHandler => {
  const service = createCollectionsService(deps);
  return async (event, context) => {
    await service.removeItem(ownerOf(context), pathId(event), pathId(event, 'itemId'));
    return noContent();
  };
};

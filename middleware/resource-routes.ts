/**
 * The four routes of a per-user resource (create, read, update, delete), written once for every
 * service that has one: the owner comes from the token, ids from the path, the ETag goes out as
 * a header and If-Match comes in, so every such resource behaves the same way over HTTP.
 *
 * These are inner handlers: a route factory returns the one its function needs, and `bind`
 * wraps it in the standard stack from the function's definition.
 */
import { json, type PorticoHttpHandler } from './http-stack.ts';
import { etagHeader, ifMatchOf, ownerOf, pathId } from './resources.ts';

export interface OwnedResourceService<TInput, TPatch, TView extends { id: string; etag: string }> {
  create(owner: string, input: TInput): Promise<TView>;
  get(owner: string, id: string): Promise<TView>;
  update(owner: string, id: string, patch: TPatch, ifMatch?: readonly string[]): Promise<TView>;
  remove(owner: string, id: string, ifMatch?: readonly string[]): Promise<void>;
}

export interface OwnedResourceRoutes<TInput, TPatch> {
  /** POST: 201 with the created resource, its ETag and its Location. */
  create: PorticoHttpHandler<TInput>;
  /** GET .../{id}: 200 with the resource and its ETag. */
  get: PorticoHttpHandler;
  /** PATCH .../{id}: honours If-Match; 200 with the resource and its new ETag. */
  update: PorticoHttpHandler<TPatch>;
  /** DELETE .../{id}: honours If-Match; 204. */
  remove: PorticoHttpHandler;
}

export function ownedResourceRoutes<TInput, TPatch, TView extends { id: string; etag: string }>(options: {
  service: OwnedResourceService<TInput, TPatch, TView>;
  /** Where a created resource lives, for the 201's Location header. */
  locationOf: (id: string) => string;
}): OwnedResourceRoutes<TInput, TPatch> {
  const { service, locationOf } = options;
  return {
    create: async (event, context) => {
      const created = await service.create(ownerOf(context), event.json);
      return json(201, created, { ...etagHeader(created.etag), location: locationOf(created.id) });
    },
    get: async (event, context) => {
      const found = await service.get(ownerOf(context), pathId(event));
      return json(200, found, etagHeader(found.etag));
    },
    update: async (event, context) => {
      const updated = await service.update(ownerOf(context), pathId(event), event.json, ifMatchOf(event));
      return json(200, updated, etagHeader(updated.etag));
    },
    remove: async (event, context) => {
      await service.remove(ownerOf(context), pathId(event), ifMatchOf(event));
      return { statusCode: 204, headers: {}, body: '' };
    },
  };
}

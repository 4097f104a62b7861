/**
 * The four routes of a per-user resource (create, read, update, delete), built once for every
 * service that has one: the owner comes from the token, ids from the path, the ETag goes out as
 * a header and If-Match comes in, so every such resource behaves the same way over HTTP.
 */
import type { FunctionDef, HttpLambda, HttpTrigger } from '../kernel/functions.ts';
import { httpHandler, json, type HttpPlatform } from './http-stack.ts';
import { etagHeader, ifMatchOf, ownerOf, pathId } from './resources.ts';

export interface OwnedResourceService<TInput, TPatch, TView extends { id: string; etag: string }> {
  create(owner: string, input: TInput): Promise<TView>;
  get(owner: string, id: string): Promise<TView>;
  update(owner: string, id: string, patch: TPatch, ifMatch?: readonly string[]): Promise<TView>;
  remove(owner: string, id: string, ifMatch?: readonly string[]): Promise<void>;
}

export interface ResourceRouteDefs {
  create: FunctionDef<HttpTrigger>;
  get: FunctionDef<HttpTrigger>;
  update: FunctionDef<HttpTrigger>;
  remove: FunctionDef<HttpTrigger>;
}

export function ownedResourceRoutes<TInput, TPatch, TView extends { id: string; etag: string }>(options: {
  defs: ResourceRouteDefs;
  service: OwnedResourceService<TInput, TPatch, TView>;
  platform: HttpPlatform;
  /** Where a created resource lives, for the 201's Location header. */
  locationOf: (id: string) => string;
}): Record<keyof ResourceRouteDefs, HttpLambda> {
  const { defs, service, platform, locationOf } = options;
  return {
    create: httpHandler<TInput>(
      defs.create,
      async (event, context) => {
        const created = await service.create(ownerOf(context), event.json);
        return json(201, created, { ...etagHeader(created.etag), location: locationOf(created.id) });
      },
      platform,
    ),
    get: httpHandler(
      defs.get,
      async (event, context) => {
        const found = await service.get(ownerOf(context), pathId(event));
        return json(200, found, etagHeader(found.etag));
      },
      platform,
    ),
    update: httpHandler<TPatch>(
      defs.update,
      async (event, context) => {
        const updated = await service.update(ownerOf(context), pathId(event), event.json, ifMatchOf(event));
        return json(200, updated, etagHeader(updated.etag));
      },
      platform,
    ),
    remove: httpHandler(
      defs.remove,
      async (event, context) => {
        await service.remove(ownerOf(context), pathId(event), ifMatchOf(event));
        return { statusCode: 204, headers: {}, body: '' };
      },
      platform,
    ),
  };
}

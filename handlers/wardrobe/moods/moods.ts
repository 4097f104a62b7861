/** The moods CRUD routes (see functions.ts): thin HTTP shells over the moods service. */
import type { HttpLambda } from '../../../kernel/functions.ts';
import { getDocumentStore, getHttpPlatform, randomIds, systemClock } from '../../../app/composition.ts';
import { httpHandler, json, type HttpPlatform } from '../../../middleware/http-stack.ts';
import { ownedResourceRoutes } from '../../../middleware/resource-routes.ts';
import { ownerOf, pageRequestOf } from '../../../middleware/resources.ts';
import type { ItemsDeps } from '../items/service.ts';
import * as defs from './functions.ts';
import { createMoodsService, type MoodInput, type MoodPatch, type MoodView } from './service.ts';

export type MoodRoute = 'list' | 'create' | 'get' | 'update' | 'remove';

export function createHandlers(deps: ItemsDeps & { platform: HttpPlatform }): Record<MoodRoute, HttpLambda> {
  const service = createMoodsService(deps);
  const { platform } = deps;
  return {
    list: httpHandler(
      defs.listMoods,
      async (event, context) => json(200, await service.list(ownerOf(context), pageRequestOf(event))),
      platform,
    ),
    ...ownedResourceRoutes<MoodInput, MoodPatch, MoodView>({
      defs: { create: defs.createMood, get: defs.getMood, update: defs.updateMood, remove: defs.deleteMood },
      service,
      platform,
      locationOf: (id) => `/api/moods/${encodeURIComponent(id)}`,
    }),
  };
}

const handlers = createHandlers({ platform: getHttpPlatform(), documents: getDocumentStore(), clock: systemClock, ids: randomIds });
export const { list, create, get, update, remove } = handlers;

/** The moods CRUD routes (see functions.ts): thin HTTP shells over the moods service. */
import type { HttpLambda } from '../../../app/define.ts';
import { getDocumentStore, getHttpPlatform, randomIds, systemClock } from '../../../app/composition.ts';
import { httpHandler, json, type HttpPlatform } from '../../../middleware/http-stack.ts';
import { etagHeader, ifMatchOf, ownerOf, pathId } from '../items/http.ts';
import type { ItemsDeps } from '../items/service.ts';
import * as defs from './functions.ts';
import { createMoodsService, type MoodInput, type MoodPatch } from './service.ts';

export type MoodRoute = 'list' | 'create' | 'get' | 'update' | 'remove';

export function createHandlers(deps: ItemsDeps & { platform: HttpPlatform }): Record<MoodRoute, HttpLambda> {
  const service = createMoodsService(deps);
  const { platform } = deps;
  return {
    list: httpHandler(
      defs.listMoods,
      async (event, context) => json(200, await service.list(ownerOf(context), event.queryStringParameters as unknown as { limit: number; continuation?: string })),
      platform,
    ),
    create: httpHandler<MoodInput>(
      defs.createMood,
      async (event, context) => {
        const mood = await service.create(ownerOf(context), event.json);
        return json(201, mood, { ...etagHeader(mood.etag), location: `/api/moods/${encodeURIComponent(mood.id)}` });
      },
      platform,
    ),
    get: httpHandler(
      defs.getMood,
      async (event, context) => {
        const mood = await service.get(ownerOf(context), pathId(event));
        return json(200, mood, etagHeader(mood.etag));
      },
      platform,
    ),
    update: httpHandler<MoodPatch>(
      defs.updateMood,
      async (event, context) => {
        const mood = await service.update(ownerOf(context), pathId(event), event.json, ifMatchOf(event));
        return json(200, mood, etagHeader(mood.etag));
      },
      platform,
    ),
    remove: httpHandler(
      defs.deleteMood,
      async (event, context) => {
        await service.remove(ownerOf(context), pathId(event), ifMatchOf(event));
        return { statusCode: 204, headers: {}, body: '' };
      },
      platform,
    ),
  };
}

const handlers = createHandlers({ platform: getHttpPlatform(), documents: getDocumentStore(), clock: systemClock, ids: randomIds });
export const { list, create, get, update, remove } = handlers;

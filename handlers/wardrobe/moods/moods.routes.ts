/**
 * The moods CRUD routes (see functions.ts): one factory per function, each a thin HTTP shell
 * over the moods service. `bind` wraps what they return in the standard stack.
 */
import { json, type PorticoHttpHandler } from '../../../middleware/http-stack.ts';
import { ownedResourceRoutes, type OwnedResourceRoutes } from '../../../middleware/resource-routes.ts';
import { ownerOf, pageRequestOf } from '../../../middleware/resources.ts';
import type { ItemsDeps } from '../items/legacy.ts';
import { createMoodsService, type MoodInput, type MoodPatch } from './service.ts';

/** What the mood routes use: the document store (moods and the items they name), the clock and the id source. */
export type MoodRoutesDeps = ItemsDeps;

function moodResource(deps: MoodRoutesDeps): OwnedResourceRoutes<MoodInput, MoodPatch> {
  return ownedResourceRoutes({ service: createMoodsService(deps), locationOf: (id) => `/api/moods/${encodeURIComponent(id)}` });
}

/** GET /api/moods: the caller's moods, newest first, a page at a time. */
export const listMoods = (deps: MoodRoutesDeps): PorticoHttpHandler => {
  const service = createMoodsService(deps);
  return async (event, context) => json(200, await service.list(ownerOf(context), pageRequestOf(event)));
};

/** POST /api/moods: 201 with the mood, its ETag and its Location. */
export const createMood = (deps: MoodRoutesDeps): PorticoHttpHandler<MoodInput> => moodResource(deps).create;

/** GET /api/moods/{id}. */
export const getMood = (deps: MoodRoutesDeps): PorticoHttpHandler => moodResource(deps).get;

/** PATCH /api/moods/{id} (If-Match honoured). */
export const updateMood = (deps: MoodRoutesDeps): PorticoHttpHandler<MoodPatch> => moodResource(deps).update;

/** DELETE /api/moods/{id} (If-Match honoured). */
export const deleteMood = (deps: MoodRoutesDeps): PorticoHttpHandler => moodResource(deps).remove;

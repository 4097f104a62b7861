/** The wardrobe's moods routes: CRUD, and item suggestions from the model. */
import { defineFunction, type FunctionDef } from '../../../kernel/functions.ts';
import { createMoodRequest, listMoodsQuery, moodPage, moodResponse, patchMoodRequest, suggestRequest, suggestResponse } from './schemas.ts';

const problem = { description: 'Problem details (application/problem+json)' };
const invalid = { description: '`validation_failed` (naming every failing field), `unknown_items` (naming the ids the caller owns no item for), `invalid_id`' };
const signedIn = { 400: invalid, 401: problem };
const missing = { description: "`not_found`: no such mood for this user (another user's mood is not found either)" };
const stale = { description: '`precondition_failed`: the If-Match ETag is no longer current' };

export const listMoods = defineFunction({
  name: 'moods-list',
  trigger: {
    kind: 'http', method: 'GET', route: 'moods', auth: 'user',
    summary: "Lists the caller's moods, newest first, a page at a time.",
    request: { query: listMoodsQuery },
    responses: { 200: { description: 'A page of moods', schema: moodPage }, ...signedIn },
  },
  handler: 'handlers/wardrobe/moods/moods.routes#listMoods',
});

export const createMood = defineFunction({
  name: 'moods-create',
  trigger: {
    kind: 'http', method: 'POST', route: 'moods', auth: 'user',
    summary: 'Creates a mood: name, description, palette and item ids (only items the caller owns).',
    request: { body: createMoodRequest },
    responses: { 201: { description: 'Created', schema: moodResponse }, ...signedIn },
  },
  handler: 'handlers/wardrobe/moods/moods.routes#createMood',
});

export const getMood = defineFunction({
  name: 'moods-get',
  trigger: {
    kind: 'http', method: 'GET', route: 'moods/{id}', auth: 'user',
    summary: 'One mood, with its ETag.',
    responses: { 200: { description: 'The mood', schema: moodResponse }, 404: missing, ...signedIn },
  },
  handler: 'handlers/wardrobe/moods/moods.routes#getMood',
});

export const updateMood = defineFunction({
  name: 'moods-update',
  trigger: {
    kind: 'http', method: 'PATCH', route: 'moods/{id}', auth: 'user',
    summary: 'Changes some fields (null clears the description; palette and itemIds are replaced). Honours If-Match.',
    request: { body: patchMoodRequest },
    responses: { 200: { description: 'The updated mood', schema: moodResponse }, 404: missing, 409: problem, 412: stale, ...signedIn },
  },
  handler: 'handlers/wardrobe/moods/moods.routes#updateMood',
});

export const deleteMood = defineFunction({
  name: 'moods-delete',
  trigger: {
    kind: 'http', method: 'DELETE', route: 'moods/{id}', auth: 'user',
    summary: 'Deletes a mood (honours If-Match).',
    responses: { 204: { description: 'Deleted' }, 404: missing, 412: stale, ...signedIn },
  },
  handler: 'handlers/wardrobe/moods/moods.routes#deleteMood',
});

export const suggestForMood = defineFunction({
  name: 'moods-suggest',
  trigger: {
    kind: 'http', method: 'POST', route: 'moods/{id}/suggest', auth: 'user', rateLimit: 'synthesis',
    summary: "Asks the model to pick items from the caller's wardrobe that match the mood; only the caller's items are ever returned.",
    request: { body: suggestRequest },
    responses: { 200: { description: 'The picked items and why', schema: suggestResponse }, 404: missing, 429: problem, 503: problem, ...signedIn },
  },
  handler: 'handlers/wardrobe/moods/suggest.routes#suggestForMood',
});

export const moodsFunctions: readonly FunctionDef[] = [listMoods, createMood, getMood, updateMood, deleteMood, suggestForMood];

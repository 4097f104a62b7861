/**
 * The wardrobe's items routes, as the PluckIt web and iOS clients call them (contract sections
 * 6.1, 6.2, 6.4). The vault insights over them live in ../insights/.
 */
import { defineFunction, type FunctionDef } from '../../../kernel/functions.ts';
import {
  clothingItem, historyQuery, itemBody, itemPage, listQuery, stylingActivityBody, stylingActivityResponse, suggestionsResponse, suggestionUpdateBody, updatedResponse, wearBody, wearHistoryResponse,
} from './schemas.ts';

const problem = { description: 'Problem details (application/problem+json)' };
const invalid = { description: '`validation_failed` (naming every failing field), `malformed_json`, `invalid_id` or `invalid_continuation`' };
const signedIn = { 400: invalid, 401: problem };
const missing = { description: '`not_found`: no such item for this user (another user\'s item is not found either)' };
const stale = { description: '`precondition_failed`: the If-Match ETag is no longer current (clients need not send one)' };

export const listItems = defineFunction({
  name: 'wardrobe-list',
  trigger: {
    kind: 'http', method: 'GET', route: 'wardrobe', auth: 'user',
    summary: "A page of the caller's finalised items (drafts never; wishlist items only with includeWishlisted=true), filtered and sorted. The continuationToken is bound to the query that made it.",
    request: { query: listQuery },
    responses: { 200: { description: 'A page; nextContinuationToken is absent on the last one', schema: itemPage }, 400: { description: '`validation_failed` (priceMin > priceMax, minWears > maxWears, a non-numeric number) or `invalid_continuation`' }, 401: problem },
  },
  handler: 'handlers/wardrobe/items/items.routes#listItems',
});

export const createItem = defineFunction({
  name: 'wardrobe-create',
  trigger: {
    kind: 'http', method: 'POST', route: 'wardrobe', auth: 'user',
    summary: 'Adds an item: a new 32-hex id, the caller as owner, no wears, dateAdded now unless given.',
    request: { body: itemBody },
    responses: { 201: { description: 'The item (Location and ETag headers)', schema: clothingItem }, ...signedIn },
  },
  handler: 'handlers/wardrobe/items/items.routes#createItem',
});

export const getItem = defineFunction({
  name: 'wardrobe-get',
  trigger: {
    kind: 'http', method: 'GET', route: 'wardrobe/{id}', auth: 'user',
    summary: 'One item (drafts too), with its ETag and a fresh image URL.',
    responses: { 200: { description: 'The item', schema: clothingItem }, 404: missing, ...signedIn },
  },
  handler: 'handlers/wardrobe/items/items.routes#getItem',
});

export const replaceItem = defineFunction({
  name: 'wardrobe-replace',
  trigger: {
    kind: 'http', method: 'PUT', route: 'wardrobe/{id}', auth: 'user',
    summary: "Replaces the item's client fields; the body's id must equal the path's (case-insensitive). Owner, wears, images and draft state are the server's and kept. Honours If-Match.",
    request: { body: itemBody },
    responses: { 204: { description: 'Replaced (ETag header)' }, 404: missing, 412: stale, ...signedIn },
  },
  handler: 'handlers/wardrobe/items/items.routes#replaceItem',
});

export const deleteItem = defineFunction({
  name: 'wardrobe-delete',
  trigger: {
    kind: 'http', method: 'DELETE', route: 'wardrobe/{id}', auth: 'user',
    summary: 'Deletes an item or a draft, its image and raw upload, its wear history and styling activities. Honours If-Match.',
    responses: { 204: { description: 'Deleted' }, 404: missing, 412: stale, ...signedIn },
  },
  handler: 'handlers/wardrobe/items/items.routes#deleteItem',
});

export const logWear = defineFunction({
  name: 'wardrobe-wear',
  trigger: {
    kind: 'http', method: 'PATCH', route: 'wardrobe/{id}/wear', auth: 'user',
    summary: 'Logs a wear (the body is optional; unknown members are ignored). A repeated clientEventId changes nothing; a stylingActivityId accepts that suggestion.',
    request: { body: wearBody, optionalBody: true },
    responses: { 200: { description: 'The item after the wear', schema: clothingItem }, 404: missing, 409: { description: '`concurrent_update`: too many concurrent writers' }, ...signedIn },
  },
  handler: 'handlers/wardrobe/items/wear.routes#logWear',
});

export const wearHistory = defineFunction({
  name: 'wardrobe-wear-history',
  trigger: {
    kind: 'http', method: 'GET', route: 'wardrobe/{id}/wear-history', auth: 'user',
    summary: "The item's recorded wears between from and to (dates or date-times; a date-only to is the end of that day), oldest first, with a summary.",
    request: { query: historyQuery },
    responses: { 200: { description: 'The history', schema: wearHistoryResponse }, 404: missing, ...signedIn },
  },
  handler: 'handlers/wardrobe/items/wear.routes#wearHistory',
});

export const recordStylingActivity = defineFunction({
  name: 'wardrobe-styling-activity',
  trigger: {
    kind: 'http', method: 'POST', route: 'wardrobe/styling-activity', auth: 'user',
    summary: 'Records that an item was styled (e.g. added to the style board), once per clientEventId; it raises a wear suggestion for three days.',
    request: { body: stylingActivityBody },
    responses: { 200: { description: 'Recorded', schema: stylingActivityResponse }, 404: missing, ...signedIn },
  },
  handler: 'handlers/wardrobe/items/wear.routes#recordStylingActivity',
});

export const listWearSuggestions = defineFunction({
  name: 'wardrobe-wear-suggestions',
  trigger: {
    kind: 'http', method: 'GET', route: 'wardrobe/suggestions/wear', auth: 'user',
    summary: 'Pending "did you wear it?" suggestions, newest first, one per item, at most 20; ones three days old or whose item was worn since are expired.',
    responses: { 200: { description: 'The suggestions', schema: suggestionsResponse }, 401: problem },
  },
  handler: 'handlers/wardrobe/items/wear.routes#listWearSuggestions',
});

export const updateWearSuggestion = defineFunction({
  name: 'wardrobe-wear-suggestion-update',
  trigger: {
    kind: 'http', method: 'PATCH', route: 'wardrobe/suggestions/wear/{suggestionId}', auth: 'user',
    summary: 'Dismisses (or accepts) a wear suggestion.',
    request: { body: suggestionUpdateBody },
    responses: { 200: { description: 'Updated', schema: updatedResponse }, 404: { description: '`not_found`: no such suggestion for this user' }, ...signedIn },
  },
  handler: 'handlers/wardrobe/items/wear.routes#updateWearSuggestion',
});

export const itemsFunctions: readonly FunctionDef[] = [listItems, createItem, getItem, replaceItem, deleteItem, logWear, wearHistory, recordStylingActivity, listWearSuggestions, updateWearSuggestion];

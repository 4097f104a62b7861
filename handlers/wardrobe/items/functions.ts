/** The wardrobe's items routes: item CRUD, logging wears, and the vault insights over them. */
import { defineFunction, type FunctionDef } from '../../../kernel/functions.ts';
import { createItemRequest, itemPage, itemResponse, listItemsQuery, patchItemRequest, wearRequest, wearResponse } from './schemas.ts';

const problem = { description: 'Problem details (application/problem+json)' };
const invalid = { description: '`validation_failed` (schema or item rules, naming every failing field), `invalid_unicode`, `unknown_image` (an imageId that is not one of your images), `invalid_id` or `invalid_continuation`' };
const signedIn = { 400: invalid, 401: problem };
const missing = { description: '`not_found`: no such item for this user (another user\'s item is not found either)' };
const stale = { description: '`precondition_failed`: the If-Match ETag is no longer current' };

export const listItems = defineFunction({
  name: 'wardrobe-items-list',
  trigger: {
    kind: 'http', method: 'GET', route: 'wardrobe/items', auth: 'user',
    summary: "Lists the caller's items (drafts included), filtered by category or status, in a chosen order, a page at a time.",
    request: { query: listItemsQuery },
    responses: { 200: { description: 'A page of items', schema: itemPage }, ...signedIn },
  },
  handler: 'handlers/wardrobe/items/items.routes#listItems',
});

export const createItem = defineFunction({
  name: 'wardrobe-items-create',
  trigger: {
    kind: 'http', method: 'POST', route: 'wardrobe/items', auth: 'user',
    summary: 'Adds an item; only name and category are required.',
    request: { body: createItemRequest },
    responses: { 201: { description: 'Created (ETag header, Location header)', schema: itemResponse }, ...signedIn },
  },
  handler: 'handlers/wardrobe/items/items.routes#createItem',
});

export const getItem = defineFunction({
  name: 'wardrobe-items-get',
  trigger: {
    kind: 'http', method: 'GET', route: 'wardrobe/items/{id}', auth: 'user',
    summary: 'One item, with its ETag.',
    responses: { 200: { description: 'The item', schema: itemResponse }, 404: missing, ...signedIn },
  },
  handler: 'handlers/wardrobe/items/items.routes#getItem',
});

export const updateItem = defineFunction({
  name: 'wardrobe-items-update',
  trigger: {
    kind: 'http', method: 'PATCH', route: 'wardrobe/items/{id}', auth: 'user',
    summary: 'Changes some fields (null clears an optional one). Honours If-Match; without it, concurrent writes are merged by an ETag-checked retry.',
    request: { body: patchItemRequest },
    responses: { 200: { description: 'The updated item', schema: itemResponse }, 404: missing, 409: { description: '`concurrent_update`: too many concurrent writers' }, 412: stale, ...signedIn },
  },
  handler: 'handlers/wardrobe/items/items.routes#updateItem',
});

export const deleteItem = defineFunction({
  name: 'wardrobe-items-delete',
  trigger: {
    kind: 'http', method: 'DELETE', route: 'wardrobe/items/{id}', auth: 'user',
    summary: 'Deletes an item and its wear history (honours If-Match).',
    responses: { 204: { description: 'Deleted' }, 404: missing, 412: stale, ...signedIn },
  },
  handler: 'handlers/wardrobe/items/items.routes#deleteItem',
});

export const logWear = defineFunction({
  name: 'wardrobe-items-wear',
  trigger: {
    kind: 'http', method: 'POST', route: 'wardrobe/items/{id}/wear', auth: 'user',
    summary: 'Logs a wear, idempotently per wearId: a repeat changes nothing and answers the same result.',
    request: { body: wearRequest },
    responses: { 200: { description: 'The wear and the item counters right after it was counted', schema: wearResponse }, 404: missing, 409: problem, ...signedIn },
  },
  handler: 'handlers/wardrobe/items/items.routes#logWear',
});

export const itemsFunctions: readonly FunctionDef[] = [listItems, createItem, getItem, updateItem, deleteItem, logWear];

/** The wardrobe's collections routes (contract section 6.5): owned and joined collections of items. */
import { defineFunction, type FunctionDef } from '../../../kernel/functions.ts';
import { addItemRequest, collectionList, collectionResponse, createCollectionRequest, listCollectionsQuery, updateCollectionRequest } from './schemas.ts';

const problem = { description: 'Problem details (application/problem+json)' };
const invalid = { description: '`validation_failed`, `invalid_id`' };
const signedIn = { 400: invalid, 401: problem };
const missing = { description: "`not_found`: no such collection for this caller (one they neither own nor joined is not found either)" };
const done = { description: 'Done' };
const handler = (name: string) => `handlers/wardrobe/collections/collections.routes#${name}`;

export const listCollections = defineFunction({
  name: 'collections-list',
  trigger: {
    kind: 'http', method: 'GET', route: 'collections', auth: 'user',
    summary: "The caller's collections, owned and joined, newest first, as a bare array (the mobile app's page, pageSize and query are ignored).",
    request: { query: listCollectionsQuery },
    responses: { 200: { description: 'The collections', schema: collectionList }, ...signedIn },
  },
  handler: handler('listCollections'),
});

export const createCollection = defineFunction({
  name: 'collections-create',
  trigger: {
    kind: 'http', method: 'POST', route: 'collections', auth: 'user',
    summary: 'Creates a collection of the caller\'s items.',
    request: { body: createCollectionRequest },
    responses: { 201: { description: 'Created', schema: collectionResponse }, 400: { description: '`name_required` (`Name is required.`), `unknown_items`, `validation_failed`' }, 401: problem },
  },
  handler: handler('createCollection'),
});

export const getCollection = defineFunction({
  name: 'collections-get',
  trigger: {
    kind: 'http', method: 'GET', route: 'collections/{id}', auth: 'user',
    summary: 'One collection the caller owns or joined, with its ETag.',
    responses: { 200: { description: 'The collection', schema: collectionResponse }, 404: missing, ...signedIn },
  },
  handler: handler('getCollection'),
});

export const updateCollection = defineFunction({
  name: 'collections-update',
  trigger: {
    kind: 'http', method: 'PUT', route: 'collections/{id}', auth: 'user',
    summary: 'Changes name, description or isPublic (camelCase or PascalCase keys; absent or null keeps). Owner only; honours If-Match.',
    request: { body: updateCollectionRequest },
    responses: { 204: done, 400: { description: '`name_required`, `validation_failed`' }, 401: problem, 404: missing, 412: { description: '`precondition_failed`' } },
  },
  handler: handler('updateCollection'),
});

export const deleteCollection = defineFunction({
  name: 'collections-delete',
  trigger: {
    kind: 'http', method: 'DELETE', route: 'collections/{id}', auth: 'user',
    summary: "Deletes the caller's collection; a member's call answers 204 and deletes nothing; anyone else gets 404.",
    responses: { 204: done, 404: missing, ...signedIn },
  },
  handler: handler('deleteCollection'),
});

export const joinCollection = defineFunction({
  name: 'collections-join',
  trigger: {
    kind: 'http', method: 'POST', route: 'collections/{id}/join', auth: 'user',
    summary: 'Joins a public collection (a share link); any body is ignored. Joining again changes nothing.',
    responses: { 204: done, 404: { description: '`not_found`: no such collection, or a private one the caller was not invited to' }, 409: { description: '`collection_full`' }, ...signedIn },
  },
  handler: handler('joinCollection'),
});

export const leaveCollection = defineFunction({
  name: 'collections-leave',
  trigger: {
    kind: 'http', method: 'DELETE', route: 'collections/{id}/leave', auth: 'user',
    summary: "Leaves a joined collection (the owner's call changes nothing); 404 when the caller is not in it.",
    responses: { 204: done, 404: missing, ...signedIn },
  },
  handler: handler('leaveCollection'),
});

export const addCollectionItem = defineFunction({
  name: 'collections-add-item',
  trigger: {
    kind: 'http', method: 'POST', route: 'collections/{id}/items', auth: 'user',
    summary: "Adds one of the caller's items to their collection (again changes nothing).",
    request: { body: addItemRequest },
    responses: { 204: done, 404: { description: "`not_found`: no such collection owned by the caller, or no such item of theirs" }, 409: { description: '`collection_full`' }, ...signedIn },
  },
  handler: handler('addCollectionItem'),
});

export const removeCollectionItem = defineFunction({
  name: 'collections-remove-item',
  trigger: {
    kind: 'http', method: 'DELETE', route: 'collections/{id}/items/{itemId}', auth: 'user',
    summary: "Removes an item from the caller's collection (an item not in it changes nothing).",
    responses: { 204: done, 404: missing, ...signedIn },
  },
  handler: handler('removeCollectionItem'),
});

export const collectionsFunctions: readonly FunctionDef[] = [
  listCollections, createCollection, getCollection, updateCollection, deleteCollection, joinCollection, leaveCollection, addCollectionItem, removeCollectionItem,
];

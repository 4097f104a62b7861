/**
 * The collections routes (contract section 6.5) through the composition root on the Cosmos DB
 * store (embedded emulator, real SDK and ETags): every status the contract lists, the bare-array
 * list of owned and joined collections, cross-user 404s, join and leave, items, and erasure.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { CosmosDocumentStore } from '../../../adapters/cosmos/document-store.ts';
import { startCosmosEmulator, type CosmosEmulator } from '../../../adapters/local/cosmos-emulator.ts';
import wardrobe from '../../../handlers/wardrobe/index.ts';
import { collectionLinksContainer, collectionsContainer } from '../../../handlers/wardrobe/collections/store.ts';
import { testClock } from '../../support/jobs.ts';
import { ISO_SECONDS, wardrobeApp } from './support.ts';

let emulator: CosmosEmulator;
let store: CosmosDocumentStore;

beforeAll(async () => {
  emulator = await startCosmosEmulator();
  store = new CosmosDocumentStore({ endpoint: emulator.endpoint, key: emulator.key, database: `collections-${randomUUID()}` }, testClock());
  await store.ensure(wardrobe.containers);
});

afterAll(async () => {
  await store?.dispose();
  await emulator?.stop();
});

/** Users are unique per test, so the tests share one database without seeing each other. */
function setup() {
  const t = wardrobeApp(store);
  const tag = randomUUID().slice(0, 8);
  const ann = `ann-${tag}`;
  const bob = `bob-${tag}`;
  const cy = `cy-${tag}`;
  const byId = (id: string) => ({ pathParameters: { id }, path: `/api/collections/${id}` });
  const api = (as: string) => ({
    list: (query?: string) => t.request('collections-list', { method: 'GET', path: '/api/collections', as, ...(query ? { query } : {}) }),
    create: (body: unknown) => t.request('collections-create', { method: 'POST', path: '/api/collections', as, body }),
    get: (id: string) => t.request('collections-get', { method: 'GET', as, ...byId(id) }),
    put: (id: string, body: unknown, headers?: Record<string, string>) => t.request('collections-update', { method: 'PUT', as, body, ...byId(id), ...(headers ? { headers } : {}) }),
    remove: (id: string) => t.request('collections-delete', { method: 'DELETE', as, ...byId(id) }),
    join: (id: string, rawBody?: string) => t.request('collections-join', { method: 'POST', as, ...byId(id), path: `/api/collections/${id}/join`, ...(rawBody !== undefined ? { rawBody } : {}) }),
    leave: (id: string) => t.request('collections-leave', { method: 'DELETE', as, ...byId(id), path: `/api/collections/${id}/leave` }),
    addItem: (id: string, body: unknown) => t.request('collections-add-item', { method: 'POST', as, body, ...byId(id), path: `/api/collections/${id}/items` }),
    removeItem: (id: string, itemId: string) =>
      t.request('collections-remove-item', { method: 'DELETE', as, path: `/api/collections/${id}/items/${itemId}`, pathParameters: { id, itemId } }),
  });
  return { ...t, ann, bob, cy, api };
}

const web = (fields: Record<string, unknown>) => ({ description: '', isPublic: false, clothingItemIds: [], ...fields });

describe('collections: create, read, list', () => {
  it('creates with 201 in the contract shape, reads it back with an ETag, and lists a bare array', async () => {
    const t = setup();
    const shirt = await t.seedItem(t.ann);
    const created = await t.api(t.ann).create({ name: '  Summer   trip ', description: 'Beach', isPublic: false, clothingItemIds: [shirt] });
    expect(created.statusCode).toBe(201);
    const id = created.json!.id as string;
    expect(created.json).toEqual({ id, ownerId: t.ann, name: 'Summer trip', description: 'Beach', isPublic: false, clothingItemIds: [shirt], memberUserIds: [], createdAt: expect.stringMatching(ISO_SECONDS) });
    expect(created.headers.location).toBe(`/api/collections/${id}`);
    const read = await t.api(t.ann).get(id);
    expect(read.statusCode).toBe(200);
    expect(read.json).toEqual(created.json);
    expect(read.headers.etag).toEqual(expect.any(String));
    const list = await t.api(t.ann).list('page=1&pageSize=50&query=sum');
    expect(list.statusCode).toBe(200);
    expect(list.json).toEqual([created.json]);
  });

  it('omits an empty description (the API omits nulls) and defaults isPublic to false', async () => {
    const t = setup();
    const created = await t.api(t.ann).create({ name: 'Plain' });
    expect(created.json).not.toHaveProperty('description');
    expect(created.json).toMatchObject({ isPublic: false, clothingItemIds: [] });
  });

  it('400 `Name is required.` as problem+json for a missing, null or blank name; nothing is stored', async () => {
    const t = setup();
    for (const body of [web({}), web({ name: null }), web({ name: '   ' })]) {
      const reply = await t.api(t.ann).create(body);
      expect(reply.statusCode).toBe(400);
      expect(reply.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(reply.json).toMatchObject({ code: 'name_required', detail: 'Name is required.', requestId: expect.any(String) });
    }
    expect((await t.api(t.ann).create({ name: 7 })).statusCode).toBe(400);
    expect((await t.api(t.ann).create(web({ name: 'x', ownerId: t.bob }))).json).toMatchObject({ code: 'validation_failed' });
    expect((await t.api(t.ann).list()).json).toEqual([]);
  });

  it("400 unknown_items for an item that is not the caller's, naming it", async () => {
    const t = setup();
    const mine = await t.seedItem(t.ann);
    const bobs = await t.seedItem(t.bob);
    const reply = await t.api(t.ann).create(web({ name: 'Mixed', clothingItemIds: [mine, bobs] }));
    expect(reply.statusCode).toBe(400);
    expect(reply.json).toMatchObject({ code: 'unknown_items', errors: [{ pointer: '/body/clothingItemIds/1', detail: `no item ${bobs}` }] });
    expect((await t.api(t.ann).list()).json).toEqual([]);
  });

  it('lists owned and joined collections, newest first, each once', async () => {
    const t = setup();
    const own1 = (await t.api(t.ann).create(web({ name: 'First' }))).json!.id as string;
    t.clock.advance(2000);
    const bobs = (await t.api(t.bob).create(web({ name: 'Bob public', isPublic: true }))).json!.id as string;
    t.clock.advance(2000);
    const own2 = (await t.api(t.ann).create(web({ name: 'Second' }))).json!.id as string;
    await t.api(t.ann).join(bobs);
    await t.api(t.ann).join(bobs);
    const list = (await t.api(t.ann).list()).json as unknown as { id: string }[];
    expect(list.map((c) => c.id)).toEqual([own2, bobs, own1]);
    expect((await t.api(t.bob).list()).json).toEqual([expect.objectContaining({ id: bobs, memberUserIds: [t.ann] })]);
  });

  it('401 problem+json without a token', async () => {
    const t = setup();
    const reply = await t.request('collections-list', { method: 'GET', path: '/api/collections' });
    expect(reply.statusCode).toBe(401);
    expect(reply.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});

describe('collections: another user', () => {
  it("gets 404 on every id route of a private collection they were not invited to, and changes nothing", async () => {
    const t = setup();
    const item = await t.seedItem(t.ann);
    const bobItem = await t.seedItem(t.bob);
    const id = (await t.api(t.ann).create(web({ name: 'Private', clothingItemIds: [item] }))).json!.id as string;
    const before = (await t.api(t.ann).get(id)).json;
    const bob = t.api(t.bob);
    const replies = [await bob.get(id), await bob.put(id, { name: 'Mine now' }), await bob.addItem(id, { itemId: bobItem }), await bob.removeItem(id, item), await bob.join(id), await bob.leave(id), await bob.remove(id)];
    for (const reply of replies) {
      expect(reply.statusCode).toBe(404);
      expect(reply.json).toMatchObject({ code: 'not_found' });
      expect(reply.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect((await bob.list()).json).toEqual([]);
    expect((await t.api(t.ann).get(id)).json).toEqual(before);
  });

  it('join: 404 on a private collection (as on an unknown one), 204 on a public one, which is then visible', async () => {
    const t = setup();
    const secret = (await t.api(t.ann).create(web({ name: 'Secret' }))).json!.id as string;
    const open = (await t.api(t.ann).create(web({ name: 'Open', isPublic: true }))).json!.id as string;
    const denied = await t.api(t.bob).join(secret);
    expect(denied.statusCode).toBe(404);
    expect(denied.json).toMatchObject({ code: 'not_found' });
    expect((await t.api(t.bob).join(`ghost-${randomUUID()}`)).json).toMatchObject({ code: 'not_found' });
    expect((await t.api(t.bob).get(open)).statusCode).toBe(404);
    // The web client posts `null` as the body: it is ignored.
    const joined = await t.api(t.bob).join(open, 'null');
    expect(joined.statusCode).toBe(204);
    expect(joined.body).toBe('');
    expect((await t.api(t.bob).get(open)).json).toMatchObject({ id: open, ownerId: t.ann, memberUserIds: [t.bob] });
    expect((await t.api(t.bob).list()).json).toEqual([expect.objectContaining({ id: open })]);
    // A member may read but not change it: PUT, items and DELETE are the owner's.
    expect((await t.api(t.bob).put(open, { name: 'Hijack' })).statusCode).toBe(404);
    expect((await t.api(t.bob).addItem(open, { itemId: await t.seedItem(t.bob) })).statusCode).toBe(404);
    expect((await t.api(t.bob).remove(open)).statusCode).toBe(204);
    expect((await t.api(t.ann).get(open)).json).toMatchObject({ name: 'Open' });
    // A member keeps access when the owner makes it private; a newcomer is then refused.
    expect((await t.api(t.ann).put(open, { isPublic: false })).statusCode).toBe(204);
    expect((await t.api(t.bob).get(open)).statusCode).toBe(200);
    expect((await t.api(t.cy).join(open)).statusCode).toBe(404);
  });

  it('concurrent joins and item adds all land (the ETag retry on the shared document)', async () => {
    const t = setup();
    const id = (await t.api(t.ann).create(web({ name: 'Popular', isPublic: true }))).json!.id as string;
    const joiners = Array.from({ length: 6 }, (_, i) => `${t.bob}-${i}`);
    const items = await Promise.all(Array.from({ length: 4 }, () => t.seedItem(t.ann)));
    const replies = await Promise.all([...joiners.map((user) => t.api(user).join(id)), ...items.map((itemId) => t.api(t.ann).addItem(id, { itemId }))]);
    expect(replies.map((reply) => reply.statusCode)).toEqual(replies.map(() => 204));
    const after = (await t.api(t.ann).get(id)).json as unknown as { memberUserIds: string[]; clothingItemIds: string[] };
    expect([...after.memberUserIds].sort()).toEqual([...joiners].sort());
    expect([...after.clothingItemIds].sort()).toEqual([...items].sort());
    for (const user of joiners) expect((await t.api(user).list()).json).toEqual([expect.objectContaining({ id })]);
  });

  it('leave: 204, then the collection is gone for the leaver (leaving again is 404); the owner cannot leave their own', async () => {
    const t = setup();
    const id = (await t.api(t.ann).create(web({ name: 'Club', isPublic: true }))).json!.id as string;
    await t.api(t.bob).join(id);
    await t.api(t.cy).join(id);
    expect((await t.api(t.bob).leave(id)).statusCode).toBe(204);
    expect((await t.api(t.bob).get(id)).statusCode).toBe(404);
    expect((await t.api(t.bob).list()).json).toEqual([]);
    expect((await t.api(t.ann).get(id)).json).toMatchObject({ memberUserIds: [t.cy] });
    expect((await t.api(t.ann).leave(id)).statusCode).toBe(204);
    expect((await t.api(t.ann).list()).json).toEqual([expect.objectContaining({ id })]);
    expect((await t.api(t.bob).leave(id)).statusCode).toBe(404);
    expect((await t.api(t.bob).leave(`ghost-${randomUUID()}`)).statusCode).toBe(404);
  });
});

describe('collections: update, items, delete', () => {
  it('PUT is partial, takes PascalCase keys, answers 204, honours If-Match, and refuses a blank name', async () => {
    const t = setup();
    const id = (await t.api(t.ann).create(web({ name: 'Work', description: 'Office' }))).json!.id as string;
    const ann = t.api(t.ann);
    const renamed = await ann.put(id, { name: 'Office wear' });
    expect(renamed.statusCode).toBe(204);
    expect(renamed.body).toBe('');
    expect((await ann.get(id)).json).toMatchObject({ name: 'Office wear', description: 'Office', isPublic: false });
    expect((await ann.put(id, { Name: 'Smart', IsPublic: true, Description: 'Suits' })).statusCode).toBe(204);
    expect((await ann.get(id)).json).toMatchObject({ name: 'Smart', description: 'Suits', isPublic: true });
    expect((await ann.put(id, { name: null, description: '' })).statusCode).toBe(204);
    const cleared = (await ann.get(id)).json!;
    expect(cleared).toMatchObject({ name: 'Smart', isPublic: true });
    expect(cleared).not.toHaveProperty('description');
    const blank = await ann.put(id, { name: '  ' });
    expect(blank.statusCode).toBe(400);
    expect(blank.json).toMatchObject({ code: 'name_required', detail: 'Name is required.' });
    expect((await ann.put(id, { isPublic: 'yes' })).statusCode).toBe(400);
    const { headers } = await ann.get(id);
    expect((await ann.put(id, { name: 'A' })).statusCode).toBe(204);
    expect((await ann.put(id, { name: 'B' }, { 'if-match': headers.etag! })).statusCode).toBe(412);
    expect((await ann.put(id, { name: 'C' }, { 'if-match': (await ann.get(id)).headers.etag! })).statusCode).toBe(204);
    expect((await ann.get(id)).json).toMatchObject({ name: 'C' });
    expect((await ann.put(`ghost-${randomUUID()}`, { name: 'x' })).statusCode).toBe(404);
  });

  it("adds and removes the owner's items: 204, idempotent; 400 without itemId; 404 for another user's item or an unknown collection", async () => {
    const t = setup();
    const ann = t.api(t.ann);
    const [coat, hat] = [await t.seedItem(t.ann), await t.seedItem(t.ann)];
    const bobs = await t.seedItem(t.bob);
    const id = (await ann.create(web({ name: 'Winter' }))).json!.id as string;
    expect((await ann.addItem(id, { itemId: coat })).statusCode).toBe(204);
    expect((await ann.addItem(id, { itemId: coat })).statusCode).toBe(204);
    expect((await ann.addItem(id, { itemId: hat })).statusCode).toBe(204);
    expect((await ann.get(id)).json).toMatchObject({ clothingItemIds: [coat, hat] });
    expect((await ann.addItem(id, {})).statusCode).toBe(400);
    expect((await ann.addItem(id, { itemId: 42 })).statusCode).toBe(400);
    const foreign = await ann.addItem(id, { itemId: bobs });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json).toMatchObject({ code: 'not_found', detail: `No item ${bobs}.` });
    expect((await ann.addItem(`ghost-${randomUUID()}`, { itemId: coat })).statusCode).toBe(404);
    expect((await ann.removeItem(id, coat)).statusCode).toBe(204);
    expect((await ann.removeItem(id, coat)).statusCode).toBe(204);
    expect((await ann.get(id)).json).toMatchObject({ clothingItemIds: [hat] });
  });

  it("DELETE by the owner removes it for everyone (the members' lists drop it); 404 after", async () => {
    const t = setup();
    const id = (await t.api(t.ann).create(web({ name: 'Gone', isPublic: true }))).json!.id as string;
    await t.api(t.bob).join(id);
    expect((await t.api(t.ann).remove(id)).statusCode).toBe(204);
    expect((await t.api(t.ann).get(id)).statusCode).toBe(404);
    expect((await t.api(t.ann).list()).json).toEqual([]);
    expect((await t.api(t.bob).list()).json).toEqual([]);
    // The member's dangling link was removed by that list.
    expect((await store.repository(collectionLinksContainer).get(id, t.bob))).toBeUndefined();
    // Gone: deleting or leaving it again is 404, like any id the caller cannot see.
    expect((await t.api(t.ann).remove(id)).statusCode).toBe(404);
    expect((await t.api(t.bob).leave(id)).statusCode).toBe(404);
  });
});

describe("collections: a user's erasure", () => {
  it('deletes the collections they own and takes them out of the ones they joined', async () => {
    const t = setup();
    const anns = (await t.api(t.ann).create(web({ name: 'Ann', isPublic: true }))).json!.id as string;
    const bobs = (await t.api(t.bob).create(web({ name: 'Bob', isPublic: true }))).json!.id as string;
    await t.api(t.ann).join(bobs);
    await t.api(t.bob).join(anns);
    const silent = { info: () => {}, warn: () => {}, error: () => {} };
    const report = await t.app.depsOf('wardrobe').eraseUser(t.ann, silent);
    expect(report.services.wardrobe).toMatchObject({ [collectionsContainer.name]: 1, [collectionLinksContainer.name]: 2 });
    expect((await t.api(t.bob).get(bobs)).json).toMatchObject({ memberUserIds: [] });
    expect((await t.api(t.bob).list()).json).toEqual([expect.objectContaining({ id: bobs })]);
    expect(await store.repository(collectionsContainer).get(anns, anns)).toBeUndefined();
    expect((await t.api(t.ann).list()).json).toEqual([]);
  });
});

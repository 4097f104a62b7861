/**
 * The items, insights, moods and media functions through the composition root: every handler
 * string of their table entries names a real factory, `bind` builds each from the wardrobe's
 * dependencies, and a request with a real token goes through the whole stack on memory ports.
 */
import { describe, expect, it } from '@jest/globals';
import type { Deps } from '../../../app/app.ts';
import type { HttpLambda } from '../../../kernel/functions.ts';
import wardrobe from '../../../handlers/wardrobe/index.ts';
import { itemsFunctions } from '../../../handlers/wardrobe/items/functions.ts';
import { createItem, deleteItem, getItem, listItems, replaceItem } from '../../../handlers/wardrobe/items/items.routes.ts';
import { listWearSuggestions, logWear, recordStylingActivity, updateWearSuggestion, wearHistory } from '../../../handlers/wardrobe/items/wear.routes.ts';
import { mediaFunctions } from '../../../handlers/wardrobe/media/functions.ts';
import { extractMetadata, processImage } from '../../../handlers/wardrobe/media/media.routes.ts';
import { moodsFunctions } from '../../../handlers/wardrobe/moods/functions.ts';
import { getMood, listMoods, seedMoods } from '../../../handlers/wardrobe/moods/moods.routes.ts';
import type { WardrobeSettings } from '../../../handlers/wardrobe/settings.ts';
import { call } from '../../identity/support.ts';
import { testApp } from '../../support/app.ts';
import { png } from '../media/support.ts';
import { fakeModel } from './support.ts';

/** Compile-time: the app's dependencies satisfy what every factory asks for. */
const _factoriesTakeTheAppsDeps = (deps: Deps<WardrobeSettings>) => [
  listItems(deps), createItem(deps), getItem(deps), replaceItem(deps), deleteItem(deps), logWear(deps), wearHistory(deps), recordStylingActivity(deps), listWearSuggestions(deps), updateWearSuggestion(deps),
  listMoods(deps), getMood(deps), seedMoods(deps),
  processImage(deps), extractMetadata(deps),
];

function setup() {
  const t = testApp({ services: [wardrobe], ports: { model: fakeModel((offline) => offline()) } });
  async function request(name: string, init: { method: string; path: string; token: string; body?: unknown; id?: string; contentType?: string; rawBody?: Uint8Array }) {
    const handler = await t.handler<HttpLambda>(name);
    const headers = { authorization: `Bearer ${init.token}`, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(init.contentType ? { 'content-type': init.contentType } : {}) };
    const body = init.rawBody ? Buffer.from(init.rawBody).toString('base64') : init.body === undefined ? undefined : JSON.stringify(init.body);
    return call(
      async (event, context) => handler({ ...event, ...(init.id ? { pathParameters: { id: init.id } } : {}) }, context),
      { method: init.method, path: init.path, headers, ...(body !== undefined ? { body } : {}), ...(init.rawBody ? { isBase64Encoded: true } : {}) },
    );
  }
  const token = async (userId: string) => (await t.ports.auth.tokens.issueAccessToken({ userId })).accessToken;
  return { ...t, request, token };
}

describe('wardrobe items, moods and media through bind', () => {
  it('binds every function of the three areas from its handler string', async () => {
    const t = setup();
    const defs = [...itemsFunctions, ...moodsFunctions, ...mediaFunctions];
    expect(defs.map((def) => def.handler)).toEqual([
      'handlers/wardrobe/items/items.routes#listItems',
      'handlers/wardrobe/items/items.routes#createItem',
      'handlers/wardrobe/items/items.routes#getItem',
      'handlers/wardrobe/items/items.routes#replaceItem',
      'handlers/wardrobe/items/items.routes#deleteItem',
      'handlers/wardrobe/items/wear.routes#logWear',
      'handlers/wardrobe/items/wear.routes#wearHistory',
      'handlers/wardrobe/items/wear.routes#recordStylingActivity',
      'handlers/wardrobe/items/wear.routes#listWearSuggestions',
      'handlers/wardrobe/items/wear.routes#updateWearSuggestion',
      'handlers/wardrobe/moods/moods.routes#listMoods',
      'handlers/wardrobe/moods/moods.routes#getMood',
      'handlers/wardrobe/moods/moods.routes#seedMoods',
      'handlers/wardrobe/media/media.routes#processImage',
      'handlers/wardrobe/media/media.routes#extractMetadata',
    ]);
    for (const def of defs) {
      expect(t.app.find(def.name)).toMatchObject({ handler: def.handler, service: 'wardrobe' });
      expect(typeof (await t.handler(def.name))).toBe('function');
    }
  });

  it('serves an item, its signed image and its wear to a signed-in user through bind; another user gets 404', async () => {
    const t = setup();
    const alice = await t.token('alice');
    const created = await t.request('wardrobe-create', { method: 'POST', path: '/api/wardrobe', token: alice, body: { category: 'Tops', colours: [{ name: 'navy', hex: '#1B2A4A' }] } });
    expect(created.statusCode).toBe(201);
    const id = created.json!.id as string;
    expect(created.headers.location).toBe(`/api/wardrobe/${id}`);
    expect((await t.request('wardrobe-get', { method: 'GET', path: `/api/wardrobe/${id}`, token: alice, id })).json).toMatchObject({ id, userId: 'alice', category: 'Tops' });
    expect((await t.request('wardrobe-wear', { method: 'PATCH', path: `/api/wardrobe/${id}/wear`, token: alice, id, body: { clientEventId: 'wear-1' } })).json).toMatchObject({ id, wearCount: 1, lastWearActionId: 'wear-1' });
    expect((await t.request('wardrobe-list', { method: 'GET', path: '/api/wardrobe', token: alice })).json).toMatchObject({ items: [{ id, wearCount: 1 }] });
    expect((await t.request('wardrobe-get', { method: 'GET', path: `/api/wardrobe/${id}`, token: await t.token('bob'), id })).statusCode).toBe(404);
  });

  it('stores an upload with the images port and the media settings', async () => {
    const t = setup();
    const reply = await t.request('wardrobe-process-image', { method: 'POST', path: '/api/process-image', token: await t.token('alice'), contentType: 'image/png', rawBody: await png(30, 20, { r: 27, g: 42, b: 74 }) });
    expect(reply.statusCode).toBe(201);
    expect(reply.json).toMatchObject({ width: 30, height: 20, backgroundRemoval: { status: 'skipped', reason: 'not_configured' } });
    expect(await t.ports.blobs.list('wardrobe-archive')).toEqual([`alice/${reply.json!.imageId as string}.png`]);
  });
});

/**
 * The two PluckIt journeys end to end, each one user's session from sign-in to sign-out in the
 * order the app's screens make the calls, on `npm start` (the local host as a child process) and
 * on `npm run start:gcp` (the same handlers through Google's Functions Framework, its queue and
 * timer functions fed CloudEvents), which must answer them alike:
 *
 * - mobile: Google ID token → app session, upload (field `file`), poll drafts, accept, the
 *   wardrobe list with filters and paging, a wear sent twice with one clientEventId, its history,
 *   a collection, the profile, a chat to `done`, the digest and its 304, refresh, revoke;
 * - web: the Google ID token itself as bearer, upload (field `image`), PUT the reviewed draft then
 *   accept, styling activity → wear suggestion, and the chat memory.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import type { LocalEntry } from '../../support/local-host-process.ts';
import { eventually, googleSub, mobileClient, MOBILE_DATE, startPluckItBackend, uploadForm, webClient, type Client, type Json, type PluckItBackend } from './clients.ts';

const jpeg = (r: number, g: number, b: number) => sharp({ create: { width: 80, height: 120, channels: 3, background: { r, g, b } } }).jpeg().toBuffer();

async function uploadAndWait(client: Client, path: string, form: FormData): Promise<Json> {
  const upload = await client.call('POST', path, { form });
  expect(upload.status).toBe(202);
  expect(upload.json.draftStatus).toBe('Processing');
  const drafts = path.replace('upload', 'drafts');
  return eventually(async () => {
    const list = await client.call('GET', drafts);
    expect(list.status).toBe(200);
    const draft = (list.json.items as Json[]).find((candidate) => candidate.id === upload.json.id);
    return draft?.draftStatus === 'Ready' ? draft : undefined;
  }, 'the draft to be Ready');
}

function frames(text: string): Json[] {
  return text.split('\n\n').filter(Boolean).map((part) => JSON.parse(part.replace(/^data: /, '')) as Json);
}

/** Both local hosts: the Azure-shaped one and the Functions Framework one. */
const HOSTS: [string, LocalEntry][] = [
  ['npm start', 'local'],
  ['npm run start:gcp', 'gcp'],
];

describe.each(HOSTS)('on %s', (_name, entry) => {
  let backend: PluckItBackend;

  beforeAll(async () => {
    backend = await startPluckItBackend({}, entry);
  }, 300_000);

  afterAll(async () => {
    await backend?.stop();
  }, 60_000);

  describe('the mobile journey', () => {
    it('signs in, uploads, reviews, browses, wears, collects, chats, reads the digest, refreshes and signs out', async () => {
      const app = await mobileClient(backend, googleSub());
      expect(app.session.access_token_expires_at).toMatch(MOBILE_DATE);

      const draft = await uploadAndWait(app, 'api/wardrobe/upload', uploadForm('mobile', await jpeg(30, 60, 160), { skip_segmentation: 'true' }));
      const accepted = await app.call('PATCH', `api/wardrobe/drafts/${draft.id}/accept`);
      expect(accepted.status).toBe(200);
      expect(accepted.json.dateAdded).toMatch(MOBILE_DATE);
      for (const brand of ['Arket', 'Cos', 'Arket']) {
        expect((await app.call('POST', 'api/wardrobe', { body: { brand, category: 'Tops', tags: ['basics'], colours: [], isWishlisted: false, wearCount: 0 } })).status).toBe(201);
      }

      const firstPage = await app.call('GET', 'api/wardrobe', { query: { pageSize: 2, query: '' } });
      expect(firstPage.json.items).toHaveLength(2);
      const secondPage = await app.call('GET', 'api/wardrobe', { query: { continuationToken: firstPage.json.nextContinuationToken, pageSize: 2 } });
      expect(secondPage.json.items).toHaveLength(2);
      expect(secondPage.json.nextContinuationToken ?? undefined).toBeUndefined();
      const arket = await app.call('GET', 'api/wardrobe', { query: { brand: 'arket', pageSize: 30 } });
      expect(arket.json.items).toHaveLength(2);

      const clientEventId = `wear-${randomUUID()}`;
      for (let i = 0; i < 2; i += 1) {
        const worn = await app.call('PATCH', `api/wardrobe/${draft.id}/wear`, { body: { clientEventId, source: 'item_drawer' } });
        expect(worn.status).toBe(200);
        expect(worn.json.wearCount).toBe(1);
      }
      const history = await app.call('GET', `api/wardrobe/${draft.id}/wear-history`);
      expect(history.json.events).toHaveLength(1);

      const collection = await app.call('POST', 'api/collections', { body: { name: 'Weekend', description: 'Saturdays', isPublic: false, clothingItemIds: [draft.id] } });
      expect(collection.status).toBe(201);
      const collections = await app.call('GET', 'api/collections', { query: { page: 1, pageSize: 50 } });
      expect(JSON.stringify(collections.json)).toContain(String(collection.json.id));

      expect((await app.call('PUT', 'api/profile', { body: { currencyCode: 'EUR', preferredSizeSystem: 'EU', stylePreferences: ['minimal'], favoriteBrands: ['Arket'], preferredColours: [], recommendationOptIn: true } })).status).toBe(204);
      expect((await app.call('GET', 'api/profile')).json.currencyCode).toBe('EUR');

      const chat = await app.stream('POST', 'api/chat', { body: { message: 'What should I wear on Saturday?', recent_messages: [], selected_item_ids: null, trace_id: randomUUID() } });
      expect(chat.status).toBe(200);
      expect(frames(await chat.text()).at(-1)?.type).toBe('done');

      expect((await app.call('POST', 'api/digest/run', { query: { force: true } })).status).toBe(200);
      const digest = await app.call('GET', 'api/digest/latest');
      expect(digest.status).toBe(200);
      expect((await app.call('GET', 'api/digest/latest', { headers: { 'if-none-match': digest.headers.get('etag')! } })).status).toBe(304);

      const refreshed = await app.call('POST', 'api/auth/refresh', { body: { refresh_token: app.session.refresh_token } });
      expect(refreshed.status).toBe(200);
      const revoked = await app.call('POST', 'api/auth/revoke', { body: { refresh_token: refreshed.json.refresh_token, user_id: app.userId }, headers: { authorization: `Bearer ${refreshed.json.access_token}` } });
      expect(revoked.status).toBe(200);
      expect((await app.call('POST', 'api/auth/refresh', { body: { refresh_token: refreshed.json.refresh_token } })).status).toBe(401);
    }, 300_000);
  });

  describe('the web journey', () => {
    it('uses the Google ID token as bearer, uploads, reviews and accepts, gets a wear suggestion, and keeps a memory', async () => {
      const app = await webClient(backend, googleSub());
      const draft = await uploadAndWait(app, '/api/wardrobe/upload', uploadForm('web', await jpeg(180, 40, 40)));
      expect((await fetch(String(draft.imageUrl))).status).toBe(200);

      const reviewed = { ...draft, brand: 'Zara', category: 'Tops', tags: ['summer'], price: { amount: 25, originalCurrency: 'EUR' } };
      expect((await app.call('PUT', `/api/wardrobe/${draft.id}`, { body: reviewed })).status).toBe(204);
      const accepted = await app.call('PATCH', `/api/wardrobe/drafts/${draft.id}/accept`, { body: {} });
      expect(accepted.status).toBe(200);
      expect(accepted.json).toMatchObject({ brand: 'Zara', category: 'Tops' });

      const activity = await app.call('POST', '/api/wardrobe/styling-activity', { body: { itemId: draft.id, source: 'dashboard_drag_drop', clientEventId: `sty-${randomUUID()}` } });
      expect(activity.json.status).toBe('recorded');
      const suggestions = await app.call('GET', '/api/wardrobe/suggestions/wear');
      const suggestion = (suggestions.json.suggestions as Json[]).find((candidate) => candidate.itemId === draft.id);
      expect(suggestion).toBeDefined();
      // Wearing it from the suggestion accepts the suggestion: it leaves the list.
      const worn = await app.call('PATCH', `/api/wardrobe/${draft.id}/wear`, { body: { source: 'suggestion_prompt', clientEventId: `wear-${randomUUID()}`, stylingActivityId: activity.json.activityId } });
      expect(worn.json.wearCount).toBe(1);
      expect(((await app.call('GET', '/api/wardrobe/suggestions/wear')).json.suggestions as Json[]).some((candidate) => candidate.itemId === draft.id)).toBe(false);

      expect((await app.call('PUT', '/api/chat/memory', { body: { summary: 'Likes red tops.' } })).status).toBe(200);
      expect((await app.call('GET', '/api/chat/memory')).json.summary).toBe('Likes red tops.');
    }, 300_000);
  });
});

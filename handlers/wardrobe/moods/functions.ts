/**
 * The moods catalogue (contract section 7.6). No client calls these. Unlike the upstream (which
 * left all three open), the reads need a signed-in user: no client needs them anonymously, and an
 * open read is a free Cosmos query for anyone. The seed is admin-only (ADMIN_USER_IDS).
 */
import { defineFunction, type FunctionDef } from '../../../kernel/functions.ts';
import { listMoodsQuery, mood, moodList, seedRequest, seedResult } from './schemas.ts';

const problem = { description: 'Problem details (application/problem+json)' };

export const listMoods = defineFunction({
  name: 'moods-list',
  trigger: {
    kind: 'http', method: 'GET', route: 'moods', auth: 'user',
    summary: 'Up to 50 moods, highest trendScore first (of one primary mood with ?primaryMood=), and the 12 primary moods.',
    request: { query: listMoodsQuery },
    responses: { 200: { description: 'The moods', schema: moodList }, 400: { description: '`validation_failed`: not one of the primary moods' }, 401: problem },
  },
  handler: 'handlers/wardrobe/moods/moods.routes#listMoods',
});

export const getMood = defineFunction({
  name: 'moods-get',
  trigger: {
    kind: 'http', method: 'GET', route: 'moods/{moodId}', auth: 'user',
    summary: 'One mood by id (`<primarymood-lower>-<slug>`).',
    responses: { 200: { description: 'The mood', schema: mood }, 401: problem, 404: problem },
  },
  handler: 'handlers/wardrobe/moods/moods.routes#getMood',
});

export const seedMoods = defineFunction({
  name: 'moods-seed',
  trigger: {
    kind: 'http', method: 'POST', route: 'moods/seed', auth: 'admin',
    summary: 'Scores the mood catalogue from the items users added in the last `months_back` months (1-12, default 3) and stores it. Send `{}` for the default.',
    request: { body: seedRequest },
    responses: { 200: { description: 'What was seeded', schema: seedResult }, 400: problem, 401: problem, 403: { description: '`forbidden`: not an administrator (ADMIN_USER_IDS)' } },
  },
  handler: 'handlers/wardrobe/moods/moods.routes#seedMoods',
});

export const moodsFunctions: readonly FunctionDef[] = [listMoods, getMood, seedMoods];

/**
 * The moods routes (see functions.ts): the catalogue read by trend, one mood, and the admin's
 * seed, which scores the built-in catalogue (domain/wardrobe/moods.ts) from the wardrobe items
 * users added lately and stores every mood in the global partition.
 */
import { notFound } from '../../../domain/errors.ts';
import type { Clock, Document, DocumentStore } from '../../../domain/ports.ts';
import { isoSeconds } from '../../../domain/time.ts';
import type { StoredClothingItem } from '../../../domain/wardrobe/clothing-item.ts';
import { moodId, PRIMARY_MOODS, scoreMoods, type PrimaryMood } from '../../../domain/wardrobe/moods.ts';
import { json, type PorticoHttpHandler } from '../../../middleware/http-stack.ts';
import { itemsContainer } from '../items/store.ts';
import { MOODS_PARTITION, moodsContainer, moodView, type MoodDoc } from './store.ts';

export interface MoodsDeps {
  documents: DocumentStore;
  clock: Clock;
}

/** The most moods a list answers (the upstream's bound). */
export const MOODS_LIST_LIMIT = 50;
/** The seed reads at most this many items (pages of 1000): enough for a trend, bounded for one request. */
export const SEED_MAX_ITEMS = 20_000;

/** GET /api/moods?primaryMood=: up to 50 moods, highest trendScore first, and the primary moods. */
export const listMoods = (deps: MoodsDeps): PorticoHttpHandler => {
  const moods = deps.documents.repository<MoodDoc>(moodsContainer);
  return async (event) => {
    const primaryMood = event.queryStringParameters?.primaryMood as PrimaryMood | undefined;
    const page = await moods.query({
      partitionKey: MOODS_PARTITION,
      ...(primaryMood ? { filters: [{ field: 'primaryMood', op: '=' as const, value: primaryMood }] } : {}),
      orderBy: { field: 'trendScore', direction: 'desc' },
      limit: MOODS_LIST_LIMIT,
    });
    return json(200, { moods: page.items.map(moodView), primaryMoods: PRIMARY_MOODS });
  };
};

/** GET /api/moods/{moodId}: one mood, or 404. */
export const getMood = (deps: MoodsDeps): PorticoHttpHandler => {
  const moods = deps.documents.repository<MoodDoc>(moodsContainer);
  return async (event) => {
    const id = event.pathParameters?.moodId ?? '';
    const mood = await moods.get(id, MOODS_PARTITION);
    if (!mood) throw notFound(`No mood ${id}.`);
    return json(200, moodView(mood));
  };
};

/** POST /api/moods/seed `{ months_back? }` (admin): scores and stores the whole catalogue; idempotent (upserts by id). */
export const seedMoods = (deps: MoodsDeps): PorticoHttpHandler<{ months_back: number }> => {
  const moods = deps.documents.repository<MoodDoc>(moodsContainer);
  const items = deps.documents.repository<StoredClothingItem & Document>(itemsContainer);
  return async (event, context) => {
    const monthsBack = event.json.months_back;
    const now = deps.clock.now();
    const since = isoSeconds(now.getTime() - monthsBack * 30 * 86_400_000);
    const scanned: StoredClothingItem[] = [];
    let continuation: string | undefined;
    // Every user's items added in the window (a fan-out query: an admin's occasional job, bounded).
    do {
      const page = await items.query({ filters: [{ field: 'dateAdded', op: '>=', value: since }], limit: 1000, ...(continuation ? { continuation } : {}) });
      scanned.push(...page.items.filter((item) => item.draftStatus === undefined));
      continuation = page.continuation;
    } while (continuation && scanned.length < SEED_MAX_ITEMS);
    const seededAt = isoSeconds(now);
    const scores = scoreMoods(scanned, now, monthsBack);
    await Promise.all(
      scores.map(({ definition, trendScore, itemCount }) =>
        moods.upsert({ ...definition, id: moodId(definition.primaryMood, definition.name), userId: MOODS_PARTITION, trendScore, itemCount, monthsBack, seededAt }),
      ),
    );
    context.log.info({ seeded: scores.length, itemsScanned: scanned.length, monthsBack }, 'moods seeded');
    return json(200, { seeded: scores.length, monthsBack, itemsScanned: scanned.length, truncated: Boolean(continuation) });
  };
};

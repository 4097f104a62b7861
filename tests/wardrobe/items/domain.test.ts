/** The pure wardrobe rules: list order and keyset paging, wear events, history ranges, suggestion lapses. */
import { describe, expect, it } from '@jest/globals';
import type { StoredClothingItem } from '../../../domain/wardrobe/clothing-item.ts';
import { cursorOf, listPage, listQueryOf } from '../../../domain/wardrobe/items.ts';
import { historyRange, lapsed, newActivity, wearHistory, withWear, type WearRecord } from '../../../domain/wardrobe/wears.ts';

const item = (id: string, fields: Partial<StoredClothingItem> = {}): StoredClothingItem => ({ id, userId: 'ann', tags: [], colours: [], wearCount: 0, isWishlisted: false, ...fields });

describe('the wardrobe list', () => {
  const items = [item('a', { price: { amount: 5, originalCurrency: 'USD' } }), item('b'), item('c', { price: { amount: 5, originalCurrency: 'USD' } }), item('d', { price: { amount: 1, originalCurrency: 'USD' } })];

  it('puts items without the sort value last in either direction, ties by id', () => {
    const ids = (dir: string) => listPage(items, listQueryOf({ sortField: 'price.amount', sortDir: dir }), 10).items.map((i) => i.id);
    expect(ids('asc')).toEqual(['d', 'a', 'c', 'b']);
    expect(ids('desc')).toEqual(['a', 'c', 'd', 'b']);
  });

  it('resumes strictly after the cursor, and gives none on the last page', () => {
    const query = listQueryOf({ sortField: 'price.amount', sortDir: 'asc' });
    const first = listPage(items, query, 2);
    expect([first.items.map((i) => i.id), first.next]).toEqual([['d', 'a'], { v: 5, id: 'a' }]);
    const second = listPage(items, query, 2, first.next);
    expect([second.items.map((i) => i.id), second.next]).toEqual([['c', 'b'], undefined]);
  });

  it('takes only well-formed cursors', () => {
    expect(cursorOf({ v: null, id: 'x' })).toEqual({ v: null, id: 'x' });
    for (const bad of [null, 1, 'x', [], {}, { id: 1 }, { id: 'x', v: {} }, { id: 'x', v: [1] }]) expect(() => cursorOf(bad)).toThrow(expect.objectContaining({ code: 'invalid_continuation' }));
  });

  it('binds tokens to a normalised query: spelling variants of the same filters are the same query', () => {
    expect(listQueryOf({ category: ' Tops ', tags: 'A, b,,', sortDir: 'ASC', sortField: 'bogus' })).toEqual(listQueryOf({ category: 'tops', tags: 'a,b', sortDir: 'asc' }));
  });
});

describe('wears', () => {
  const record = (occurredAt: string, extra: Partial<WearRecord> = {}): WearRecord => ({ id: `x:${occurredAt}`, userId: 'ann', itemId: 'x', occurredAt, source: 'unknown', createdAt: occurredAt, applied: true, ...extra });

  it('keeps the newest 30 events in time order, and lastWornAt the latest wear rather than the last logged', () => {
    let current = item('x');
    for (let day = 31; day >= 1; day--) current = withWear(current, record(`2026-10-${String(day).padStart(2, '0')}T00:00:00Z`));
    expect(current.wearCount).toBe(31);
    expect(current.lastWornAt).toBe('2026-10-31T00:00:00Z');
    expect(current.wearEvents!.map((e) => e.occurredAt.slice(8, 10))).toEqual(Array.from({ length: 30 }, (_, i) => String(i + 2).padStart(2, '0')));
    expect(withWear(current, record('2026-11-01T00:00:00Z', { clientEventId: 'k' })).lastWearActionId).toBe('k');
  });

  it('reads a date-only `to` as the end of that day, and refuses an inverted range', () => {
    expect(historyRange('2026-11-01', '2026-11-01')).toEqual({ from: Date.parse('2026-11-01T00:00:00Z'), to: Date.parse('2026-11-02T00:00:00Z') - 1 });
    expect(() => historyRange('2026-11-02', '2026-11-01')).toThrow(expect.objectContaining({ code: 'validation_failed' }));
  });

  it('counts only applied records in the history, and the untracked rest of the count', () => {
    const history = wearHistory({ id: 'x', wearCount: 5 }, [record('2026-11-02T00:00:00Z'), record('2026-11-01T00:00:00Z'), record('2026-11-03T00:00:00Z', { applied: false })], {});
    expect(history.events.map((e) => e.occurredAt)).toEqual(['2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z']);
    expect(history.summary).toEqual({ totalInRange: 2, trackedFrom: '2026-11-01T00:00:00Z', legacyUntrackedCount: 3 });
  });

  it('lapses a suggestion three days on, or once the item is worn at or after the activity', () => {
    const now = new Date('2026-11-22T10:00:00Z');
    const activity = newActivity({ id: 'a', userId: 'ann', itemId: 'x', occurredAt: '2026-11-22T09:00:00Z' }, now);
    expect(activity.suggestionExpiresAt).toBe('2026-11-25T09:00:00Z');
    expect(lapsed(activity, { lastWornAt: '2026-11-22T08:59:59Z' }, now)).toBe(false);
    expect(lapsed(activity, { lastWornAt: '2026-11-22T09:00:00Z' }, now)).toBe(true);
    expect(lapsed(activity, {}, new Date('2026-11-25T09:00:00Z'))).toBe(true);
    expect(lapsed(activity, undefined, now)).toBe(true);
  });
});

/**
 * The DocumentRepository contract: one suite of cases that every DocumentStore must pass, run
 * against the in-memory store and the Cosmos DB store on the emulator. When the two disagree,
 * a handler tested in memory would behave differently in production, so no case is optional.
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { AppError, DocumentExistsError, PreconditionFailedError } from '../../domain/errors.ts';
import type { ContainerSpec, Document, DocumentRepository, DocumentStore, QuerySpec, Stored } from '../../domain/ports.ts';

export interface ContractSubject {
  store: DocumentStore;
  /** A controllable clock, when the store was built with one. */
  clock: { advance(ms: number): void } | undefined;
  teardown(): Promise<void>;
}

interface Item extends Document {
  tenant: string;
  n?: number;
  name?: string;
  email?: string;
  flag?: boolean;
  tag?: string | null;
  nested?: { list: number[]; label: string };
}

const SYSTEM_FIELDS = ['_rid', '_self', '_etag', '_attachments', '_ts', 'ttl'];
const INVALID_IDS: [string, string][] = [
  ['a slash', 'a/b'],
  ['a question mark', 'a?b'],
  ['a hash', 'a#b'],
  ['a backslash', 'a\\b'],
  ['nothing', ''],
  ['1024 bytes', 'x'.repeat(1024)],
];

const ids = (items: readonly { id: string }[]) => items.map((item) => item.id);
const sortedIds = (items: readonly { id: string }[]) => ids(items).sort();
const past = () => Date.now() - 60_000;

function expectNoSystemFields(document: object): void {
  for (const field of SYSTEM_FIELDS) expect(document).not.toHaveProperty(field);
}

/** Every page, in order; fails when a page is over the limit or the paging does not end. */
async function allPages<T extends Document>(repository: DocumentRepository<T>, spec: QuerySpec): Promise<{ items: Stored<T>[]; pages: number }> {
  const items: Stored<T>[] = [];
  let continuation: string | undefined;
  let pages = 0;
  do {
    const page = await repository.query(continuation === undefined ? spec : { ...spec, continuation });
    expect(page.items.length).toBeLessThanOrEqual(spec.limit);
    items.push(...page.items);
    continuation = page.continuation;
    if (continuation !== undefined) expect(typeof continuation).toBe('string');
    if (++pages > 100) throw new Error('paging did not end');
  } while (continuation !== undefined);
  return { items, pages };
}

export function describeDocumentRepositoryContract(label: string, setup: () => Promise<ContractSubject>): void {
  describe(`DocumentRepository contract: ${label}`, () => {
    let subject: ContractSubject;
    let containers = 0;
    // How far cases have moved the store's clock past real time; "now" for the store is Date.now() + skew.
    let skew = 0;
    const advance = (clock: { advance(ms: number): void }, ms: number) => {
      clock.advance(ms);
      skew += ms;
    };

    beforeAll(async () => {
      subject = await setup();
    });

    afterAll(async () => {
      await subject?.teardown();
    });

    /** A fresh container per case, so cases never see each other's documents. */
    async function fresh(extra: Partial<ContainerSpec> = {}): Promise<DocumentRepository<Item>> {
      const spec: ContainerSpec = { name: `contract${++containers}`, partitionKey: 'tenant', ...extra };
      await subject.store.ensure([spec]);
      return subject.store.repository<Item>(spec);
    }

    describe('round trips', () => {
      it('create returns the document with an ETag, and get reads the same back', async () => {
        const items = await fresh();
        const document: Item = { id: 'a', tenant: 't1', n: 1, name: 'Ann', flag: true, tag: null, nested: { list: [1, 2], label: 'x' } };
        const created = await items.create(document);
        expect(created).toEqual({ ...document, etag: expect.any(String) });
        expect(created.etag.length).toBeGreaterThan(0);
        expect(await items.get('a', 't1')).toEqual(created);
      });

      it('get is undefined for a missing id, and for the right id in the wrong partition', async () => {
        const items = await fresh();
        await items.create({ id: 'a', tenant: 't1' });
        expect(await items.get('missing', 't1')).toBeUndefined();
        expect(await items.get('a', 't2')).toBeUndefined();
      });

      it('the same id lives independently in two partitions', async () => {
        const items = await fresh();
        await items.create({ id: 'a', tenant: 't1', n: 1 });
        await items.create({ id: 'a', tenant: 't2', n: 2 });
        expect((await items.get('a', 't1'))?.n).toBe(1);
        expect((await items.get('a', 't2'))?.n).toBe(2);
        expect(await items.delete('a', 't1')).toBe(true);
        expect((await items.get('a', 't2'))?.n).toBe(2);
      });

      it('upsert creates, then replaces the whole document', async () => {
        const items = await fresh();
        const first = await items.upsert({ id: 'u', tenant: 't1', n: 1, name: 'one' });
        expect(await items.get('u', 't1')).toEqual(first);
        const second = await items.upsert({ id: 'u', tenant: 't1', n: 2 });
        expect(second).toEqual({ id: 'u', tenant: 't1', n: 2, etag: expect.any(String) });
        expect(await items.get('u', 't1')).toEqual(second);
      });

      it('replace with the current ETag writes the new version', async () => {
        const items = await fresh();
        const created = await items.create({ id: 'r', tenant: 't1', n: 1, name: 'old' });
        const replaced = await items.replace({ id: 'r', tenant: 't1', n: 2 }, created.etag);
        expect(replaced).toEqual({ id: 'r', tenant: 't1', n: 2, etag: expect.any(String) });
        expect(await items.get('r', 't1')).toEqual(replaced);
      });

      it('every write changes the ETag, and get reports the latest', async () => {
        const items = await fresh();
        const etags = [(await items.create({ id: 'e', tenant: 't1', n: 0 })).etag];
        etags.push((await items.upsert({ id: 'e', tenant: 't1', n: 1 })).etag);
        etags.push((await items.replace({ id: 'e', tenant: 't1', n: 2 }, etags.at(-1)!)).etag);
        // Writing identical content is still a new version.
        etags.push((await items.replace({ id: 'e', tenant: 't1', n: 2 }, etags.at(-1)!)).etag);
        expect(new Set(etags).size).toBe(4);
        expect((await items.get('e', 't1'))?.etag).toBe(etags.at(-1));
      });

      it('delete says true once, then false; with the current ETag it deletes', async () => {
        const items = await fresh();
        await items.create({ id: 'd1', tenant: 't1' });
        expect(await items.delete('d1', 't1')).toBe(true);
        expect(await items.get('d1', 't1')).toBeUndefined();
        expect(await items.delete('d1', 't1')).toBe(false);
        const d2 = await items.create({ id: 'd2', tenant: 't1' });
        expect(await items.delete('d2', 't1', d2.etag)).toBe(true);
        expect(await items.delete('never', 't1', d2.etag)).toBe(false);
      });

      it('a deleted id can be created again', async () => {
        const items = await fresh();
        const first = await items.create({ id: 'again', tenant: 't1', n: 1 });
        await items.delete('again', 't1');
        const second = await items.create({ id: 'again', tenant: 't1', n: 2 });
        expect(second.etag).not.toBe(first.etag);
        expect((await items.get('again', 't1'))?.n).toBe(2);
      });

      it('hands out copies: changing an argument or a result never changes what is stored', async () => {
        const items = await fresh();
        const input: Item = { id: 'copy', tenant: 't1', nested: { list: [1], label: 'a' } };
        const created = await items.create(input);
        input.nested!.list.push(2);
        created.nested!.label = 'changed';
        const read = await items.get('copy', 't1');
        expect(read?.nested).toEqual({ list: [1], label: 'a' });
        read!.nested!.list.push(3);
        expect((await items.get('copy', 't1'))?.nested).toEqual({ list: [1], label: 'a' });
      });

      it('accepts ids with spaces, punctuation, non-ASCII and the full 1023 bytes', async () => {
        const items = await fresh();
        for (const id of ['with space', 'ünïcødé-✓', "quote'and\"double", 'x'.repeat(1023)]) {
          const created = await items.create({ id, tenant: 't1' });
          expect(created.id).toBe(id);
          expect((await items.get(id, 't1'))?.id).toBe(id);
          expect((await items.replace({ id, tenant: 't1', n: 1 }, created.etag)).n).toBe(1);
          expect(await items.delete(id, 't1')).toBe(true);
        }
      });

      it('a document whose partition key is its id', async () => {
        const spec = { name: `contract${++containers}`, partitionKey: 'id' };
        await subject.store.ensure([spec]);
        const runs = subject.store.repository<Document & { slot: string }>(spec);
        await runs.create({ id: 'run:job:1', slot: '1' });
        await expect(runs.create({ id: 'run:job:1', slot: '1' })).rejects.toBeInstanceOf(DocumentExistsError);
        expect((await runs.get('run:job:1', 'run:job:1'))?.slot).toBe('1');
      });

      it('refuses a document without a string partition key', async () => {
        const items = await fresh();
        await expect(items.create({ id: 'nopk' } as Item)).rejects.toMatchObject({ status: 400, code: 'invalid_partition_key' });
        await expect(items.upsert({ id: 'numpk', tenant: 5 } as unknown as Item)).rejects.toMatchObject({ status: 400, code: 'invalid_partition_key' });
      });
    });

    describe('optimistic concurrency', () => {
      it('replace with a stale ETag fails with PreconditionFailedError and changes nothing', async () => {
        const items = await fresh();
        const v1 = await items.create({ id: 'c', tenant: 't1', n: 1 });
        const v2 = await items.replace({ id: 'c', tenant: 't1', n: 2 }, v1.etag);
        const stale = items.replace({ id: 'c', tenant: 't1', n: 3 }, v1.etag);
        await expect(stale).rejects.toBeInstanceOf(PreconditionFailedError);
        await expect(stale).rejects.toMatchObject({ status: 412, code: 'precondition_failed' });
        expect(await items.get('c', 't1')).toEqual(v2);
      });

      it('delete with a stale ETag fails with PreconditionFailedError and keeps the document', async () => {
        const items = await fresh();
        const v1 = await items.create({ id: 'c', tenant: 't1', n: 1 });
        await items.upsert({ id: 'c', tenant: 't1', n: 2 });
        await expect(items.delete('c', 't1', v1.etag)).rejects.toBeInstanceOf(PreconditionFailedError);
        expect((await items.get('c', 't1'))?.n).toBe(2);
      });

      it('an ETag from another document does not match', async () => {
        const items = await fresh();
        const a = await items.create({ id: 'a', tenant: 't1' });
        await items.create({ id: 'b', tenant: 't1' });
        await expect(items.replace({ id: 'b', tenant: 't1', n: 1 }, a.etag)).rejects.toBeInstanceOf(PreconditionFailedError);
      });

      it('replace of a document that does not exist is a 404 not_found', async () => {
        const items = await fresh();
        const other = await items.create({ id: 'other', tenant: 't1' });
        for (const etag of [other.etag, 'anything']) {
          const missing = items.replace({ id: 'ghost', tenant: 't1' }, etag);
          await expect(missing).rejects.toBeInstanceOf(AppError);
          await expect(missing).rejects.toMatchObject({ status: 404, code: 'not_found' });
        }
        expect(await items.get('ghost', 't1')).toBeUndefined();
      });
    });

    describe('conflicts', () => {
      it('creating an id twice fails with DocumentExistsError and keeps the first', async () => {
        const items = await fresh();
        const first = await items.create({ id: 'dup', tenant: 't1', n: 1 });
        const second = items.create({ id: 'dup', tenant: 't1', n: 2 });
        await expect(second).rejects.toBeInstanceOf(DocumentExistsError);
        await expect(second).rejects.toMatchObject({ status: 409, code: 'already_exists' });
        expect(await items.get('dup', 't1')).toEqual(first);
      });

      it('a unique key is unique within its partition, for create, upsert and replace', async () => {
        const items = await fresh({ uniqueKeys: [['email']] });
        await items.create({ id: 'u1', tenant: 't1', email: 'ann@example.com' });
        await expect(items.create({ id: 'u2', tenant: 't1', email: 'ann@example.com' })).rejects.toBeInstanceOf(DocumentExistsError);
        await expect(items.upsert({ id: 'u2', tenant: 't1', email: 'ann@example.com' })).rejects.toBeInstanceOf(DocumentExistsError);
        const bob = await items.create({ id: 'u3', tenant: 't1', email: 'bob@example.com' });
        await expect(items.replace({ id: 'u3', tenant: 't1', email: 'ann@example.com' }, bob.etag)).rejects.toBeInstanceOf(DocumentExistsError);
        expect((await items.get('u3', 't1'))?.email).toBe('bob@example.com');
        // Another partition has its own keys; rewriting a document's own key is not a clash.
        await items.create({ id: 'u4', tenant: 't2', email: 'ann@example.com' });
        await items.upsert({ id: 'u1', tenant: 't1', email: 'ann@example.com', n: 1 });
      });

      it('a unique key is free again once its holder is deleted or changes it', async () => {
        const items = await fresh({ uniqueKeys: [['email']] });
        await items.create({ id: 'u1', tenant: 't1', email: 'a@example.com' });
        await items.delete('u1', 't1');
        const u2 = await items.create({ id: 'u2', tenant: 't1', email: 'a@example.com' });
        await items.replace({ id: 'u2', tenant: 't1', email: 'b@example.com' }, u2.etag);
        await items.create({ id: 'u3', tenant: 't1', email: 'a@example.com' });
      });
    });

    describe('ids are validated on every operation', () => {
      it.each(INVALID_IDS)('an id with %s is a 400 invalid_id', async (_what, id) => {
        const items = await fresh();
        const invalid = { status: 400, code: 'invalid_id' };
        await expect(items.get(id, 't1')).rejects.toMatchObject(invalid);
        await expect(items.create({ id, tenant: 't1' })).rejects.toMatchObject(invalid);
        await expect(items.upsert({ id, tenant: 't1' })).rejects.toMatchObject(invalid);
        await expect(items.replace({ id, tenant: 't1' }, 'etag')).rejects.toMatchObject(invalid);
        await expect(items.delete(id, 't1')).rejects.toMatchObject(invalid);
        await expect(items.create({ id, tenant: 't1' })).rejects.toBeInstanceOf(AppError);
      });
    });

    describe('expiry', () => {
      it('an expired document is invisible to get, query, replace and delete', async () => {
        const items = await fresh();
        const expired = await items.create({ id: 'old', tenant: 't1', n: 1, expiresAt: past() });
        await items.create({ id: 'live', tenant: 't1', n: 2 });
        expect(await items.get('old', 't1')).toBeUndefined();
        expect(ids((await items.query({ limit: 100 })).items)).toEqual(['live']);
        expect(ids((await items.query({ limit: 100, partitionKey: 't1', filters: [{ field: 'n', op: '=', value: 1 }] })).items)).toEqual([]);
        await expect(items.replace({ id: 'old', tenant: 't1', n: 3 }, expired.etag)).rejects.toMatchObject({ status: 404, code: 'not_found' });
        expect(await items.delete('old', 't1')).toBe(false);
        expect(await items.delete('old', 't1', expired.etag)).toBe(false);
      });

      it('replace with an ETag older than an expired version is a 404 (absent), not a 412', async () => {
        const items = await fresh();
        const live = await items.create({ id: 'x', tenant: 't1', n: 1 });
        await items.upsert({ id: 'x', tenant: 't1', n: 2, expiresAt: past() });
        await expect(items.replace({ id: 'x', tenant: 't1', n: 3 }, live.etag)).rejects.toMatchObject({ status: 404, code: 'not_found' });
        expect(await items.get('x', 't1')).toBeUndefined();
      });

      it('replace of a version that has expired since it was read is a 404', async () => {
        const clock = subject.clock;
        if (!clock) throw new Error('The contract needs a store built with a controllable clock.');
        const items = await fresh();
        await items.create({ id: 'y', tenant: 't1', expiresAt: Date.now() + skew + 60_000 });
        const read = await items.get('y', 't1');
        advance(clock, 120_000);
        await expect(items.replace({ id: 'y', tenant: 't1', n: 1 }, read!.etag)).rejects.toMatchObject({ status: 404, code: 'not_found' });
      });

      it('create over an expired document succeeds and starts a new version', async () => {
        const items = await fresh();
        const expired = await items.create({ id: 'slot', tenant: 't1', n: 1, expiresAt: past() });
        const created = await items.create({ id: 'slot', tenant: 't1', n: 2 });
        expect(created.etag).not.toBe(expired.etag);
        expect(await items.get('slot', 't1')).toEqual(created);
        await expect(items.create({ id: 'slot', tenant: 't1', n: 3 })).rejects.toBeInstanceOf(DocumentExistsError);
      });

      it('upsert over an expired document succeeds', async () => {
        const items = await fresh();
        await items.create({ id: 'slot', tenant: 't1', n: 1, expiresAt: past() });
        const upserted = await items.upsert({ id: 'slot', tenant: 't1', n: 2 });
        expect(await items.get('slot', 't1')).toEqual(upserted);
      });

      it('an expired document does not hold its unique key', async () => {
        const items = await fresh({ uniqueKeys: [['email']] });
        await items.create({ id: 'gone', tenant: 't1', email: 'a@example.com', expiresAt: past() });
        const created = await items.create({ id: 'new', tenant: 't1', email: 'a@example.com' });
        expect(await items.get('new', 't1')).toEqual(created);
      });

      it('a document expiring in the future is visible, keeps expiresAt, and shows no ttl', async () => {
        const items = await fresh();
        const expiresAt = Date.now() + skew + 3_600_000;
        const created = await items.create({ id: 'soon', tenant: 't1', expiresAt });
        expect(created.expiresAt).toBe(expiresAt);
        const read = await items.get('soon', 't1');
        expect(read).toEqual(created);
        expectNoSystemFields(read!);
        expect(ids((await items.query({ limit: 10 })).items)).toEqual(['soon']);
      });

      it('purgeExpired deletes expired documents only, at most max at a time', async () => {
        const items = await fresh();
        for (let i = 0; i < 5; i++) await items.create({ id: `old${i}`, tenant: `t${i % 2}`, expiresAt: past() });
        await items.create({ id: 'live1', tenant: 't0' });
        await items.create({ id: 'live2', tenant: 't1', expiresAt: Date.now() + skew + 3_600_000 });
        expect(await items.purgeExpired(3)).toBe(3);
        expect(await items.purgeExpired(10)).toBe(2);
        expect(await items.purgeExpired(10)).toBe(0);
        expect(ids((await items.query({ limit: 10 })).items).sort()).toEqual(['live1', 'live2']);
      });

      it('a document disappears once the clock passes expiresAt', async () => {
        const clock = subject.clock;
        if (!clock) throw new Error('The contract needs a store built with a controllable clock.');
        const items = await fresh();
        await items.create({ id: 'ticking', tenant: 't1', expiresAt: Date.now() + skew + 60_000 });
        expect(await items.get('ticking', 't1')).toBeDefined();
        advance(clock, 120_000);
        expect(await items.get('ticking', 't1')).toBeUndefined();
        expect((await items.query({ limit: 10 })).items).toEqual([]);
        await items.create({ id: 'ticking', tenant: 't1' });
      });
    });

    describe('system fields', () => {
      it('never appear on anything read, and a caller cannot set them', async () => {
        const items = await fresh();
        const sneaky = { id: 's', tenant: 't1', n: 1, ttl: 5, etag: 'mine', _etag: 'mine', _ts: 1, _rid: 'x', _self: 'y', _attachments: 'z' } as Item;
        const results: Stored<Item>[] = [await items.create(sneaky)];
        results.push((await items.get('s', 't1'))!);
        results.push(await items.upsert({ ...sneaky, n: 2 }));
        results.push(await items.replace({ ...sneaky, n: 3 }, results.at(-1)!.etag));
        results.push(...(await items.query({ limit: 10 })).items);
        results.push(...(await items.query({ limit: 10, partitionKey: 't1', orderBy: { field: 'n', direction: 'asc' } })).items);
        for (const result of results) {
          expectNoSystemFields(result);
          expect(result.etag).not.toBe('mine');
          expect(Object.keys(result).sort()).toEqual(['etag', 'id', 'n', 'tenant']);
        }
      });
    });

    describe('queries', () => {
      let items: DocumentRepository<Item>;
      // d0..d9: d0-d5 in t1, d6-d9 in t2; n = i; flag on even i; tag null on d3 and missing on d4.
      beforeAll(async () => {
        items = await fresh();
        for (let i = 0; i < 10; i++) {
          await items.create({
            id: `d${i}`,
            tenant: i < 6 ? 't1' : 't2',
            n: i,
            name: `name-${i}`,
            flag: i % 2 === 0,
            ...(i === 4 ? {} : { tag: i === 3 ? null : i < 5 ? 'low' : 'high' }),
          });
        }
      });

      const where = async (field: string, op: '=' | '!=' | '<' | '<=' | '>' | '>=', value: string | number | boolean | null) =>
        sortedIds((await items.query({ limit: 100, filters: [{ field, op, value }] })).items);

      it('filters with each operator on numbers', async () => {
        expect(await where('n', '=', 3)).toEqual(['d3']);
        expect(await where('n', '!=', 3)).toEqual(['d0', 'd1', 'd2', 'd4', 'd5', 'd6', 'd7', 'd8', 'd9']);
        expect(await where('n', '<', 3)).toEqual(['d0', 'd1', 'd2']);
        expect(await where('n', '<=', 3)).toEqual(['d0', 'd1', 'd2', 'd3']);
        expect(await where('n', '>', 7)).toEqual(['d8', 'd9']);
        expect(await where('n', '>=', 7)).toEqual(['d7', 'd8', 'd9']);
      });

      it('filters on strings, booleans and null', async () => {
        expect(await where('name', '=', 'name-5')).toEqual(['d5']);
        expect(await where('name', '>=', 'name-8')).toEqual(['d8', 'd9']);
        expect(await where('name', '<', 'name-2')).toEqual(['d0', 'd1']);
        expect(await where('flag', '=', true)).toEqual(['d0', 'd2', 'd4', 'd6', 'd8']);
        expect(await where('flag', '!=', true)).toEqual(['d1', 'd3', 'd5', 'd7', 'd9']);
        expect(await where('tag', '=', null)).toEqual(['d3']);
      });

      it('compares like Cosmos SQL: a missing field or another type never matches, not even !=', async () => {
        expect(await where('tag', '!=', 'low')).toEqual(['d5', 'd6', 'd7', 'd8', 'd9']);
        expect(await where('tag', '!=', null)).toEqual([]);
        expect(await where('n', '=', '3')).toEqual([]);
        expect(await where('n', '!=', '3')).toEqual([]);
        expect(await where('name', '>', 5)).toEqual([]);
        expect(await where('missing', '!=', 1)).toEqual([]);
      });

      it('combines filters with AND', async () => {
        const page = await items.query({
          limit: 100,
          filters: [
            { field: 'n', op: '>=', value: 2 },
            { field: 'n', op: '<', value: 8 },
            { field: 'flag', op: '=', value: false },
          ],
        });
        expect(sortedIds(page.items)).toEqual(['d3', 'd5', 'd7']);
      });

      it('orders ascending and descending', async () => {
        const ascending = await items.query({ limit: 100, orderBy: { field: 'n', direction: 'asc' } });
        expect(ids(ascending.items)).toEqual(['d0', 'd1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7', 'd8', 'd9']);
        const descending = await items.query({ limit: 100, orderBy: { field: 'name', direction: 'desc' }, filters: [{ field: 'n', op: '<', value: 4 }] });
        expect(ids(descending.items)).toEqual(['d3', 'd2', 'd1', 'd0']);
      });

      it('restricts to one partition, or fans out across all', async () => {
        expect(sortedIds((await items.query({ limit: 100, partitionKey: 't2' })).items)).toEqual(['d6', 'd7', 'd8', 'd9']);
        expect(sortedIds((await items.query({ limit: 100, partitionKey: 'nobody' })).items)).toEqual([]);
        expect((await items.query({ limit: 100 })).items).toHaveLength(10);
        const t1Descending = await items.query({ limit: 100, partitionKey: 't1', orderBy: { field: 'n', direction: 'desc' }, filters: [{ field: 'flag', op: '=', value: true }] });
        expect(ids(t1Descending.items)).toEqual(['d4', 'd2', 'd0']);
      });

      it('returns what get returns, ETag included', async () => {
        const [first] = (await items.query({ limit: 1, partitionKey: 't1', orderBy: { field: 'n', direction: 'asc' } })).items;
        expect(first).toEqual(await items.get('d0', 't1'));
      });

      it('treats filter values with quotes and SQL as plain data', async () => {
        const odd = await fresh();
        const names = ["O'Brien", 'say "hi"', "x' OR '1'='1", '" OR 1=1 --', 'a\\b', '@p0', 'c.id'];
        for (const [i, name] of names.entries()) await odd.create({ id: `o${i}`, tenant: 't1', name });
        for (const [i, name] of names.entries()) {
          expect(ids((await odd.query({ limit: 100, filters: [{ field: 'name', op: '=', value: name }] })).items)).toEqual([`o${i}`]);
        }
        for (const attack of ["' OR 1=1 --", '") OR true OR ("', "1' OR c.id != '", '@pk', 'name-1; DROP c']) {
          expect((await odd.query({ limit: 100, filters: [{ field: 'name', op: '=', value: attack }] })).items).toEqual([]);
          expect((await odd.query({ limit: 100, partitionKey: attack })).items).toEqual([]);
        }
      });

      it('refuses field names that are not plain identifiers', async () => {
        for (const field of ['a.b', 'n; DROP', '1n', 'c["n"]', '', 'n OR 1=1', 'a-b']) {
          await expect(items.query({ limit: 10, filters: [{ field, op: '=', value: 1 }] })).rejects.toMatchObject({ status: 400, code: 'invalid_field' });
          await expect(items.query({ limit: 10, orderBy: { field, direction: 'asc' } })).rejects.toMatchObject({ status: 400, code: 'invalid_field' });
        }
      });

      it('refuses a page size outside 1-1000', async () => {
        for (const limit of [0, -1, 1001, 2.5, Number.NaN]) {
          await expect(items.query({ limit })).rejects.toMatchObject({ status: 400, code: 'invalid_limit' });
        }
      });
    });

    describe('paging', () => {
      let items: DocumentRepository<Item>;
      const expected = Array.from({ length: 25 }, (_, i) => `p${String(i).padStart(2, '0')}`);
      // 25 documents over three partitions, written out of order so that storage order is not sort order.
      beforeAll(async () => {
        items = await fresh();
        const order = Array.from({ length: 25 }, (_, i) => (i * 7) % 25);
        for (const i of order) await items.create({ id: expected[i]!, tenant: `t${i % 3}`, n: i, flag: i % 2 === 0 });
      });

      it('pages through 25 documents 10 at a time, each exactly once and in order', async () => {
        const { items: all, pages } = await allPages(items, { limit: 10, orderBy: { field: 'n', direction: 'asc' } });
        expect(ids(all)).toEqual(expected);
        expect(pages).toBeGreaterThanOrEqual(3);
        const first = await items.query({ limit: 10, orderBy: { field: 'n', direction: 'asc' } });
        expect(first.items).toHaveLength(10);
        expect(first.continuation).toEqual(expect.any(String));
      });

      it('pages in descending order', async () => {
        const { items: all } = await allPages(items, { limit: 10, orderBy: { field: 'n', direction: 'desc' } });
        expect(ids(all)).toEqual([...expected].reverse());
      });

      it('pages without an order: every document exactly once', async () => {
        const { items: all } = await allPages(items, { limit: 10 });
        expect(sortedIds(all)).toEqual(expected);
      });

      it('pages within one partition, with a filter', async () => {
        const { items: all } = await allPages(items, { limit: 2, partitionKey: 't1', filters: [{ field: 'n', op: '>', value: 3 }], orderBy: { field: 'n', direction: 'asc' } });
        expect(ids(all)).toEqual(['p04', 'p07', 'p10', 'p13', 'p16', 'p19', 'p22']);
      });

      it('pages through ties on the sort field exactly once', async () => {
        const { items: all } = await allPages(items, { limit: 4, orderBy: { field: 'flag', direction: 'desc' } });
        expect(sortedIds(all)).toEqual(expected);
        expect(all.slice(0, 13).every((item) => item.flag === true)).toBe(true);
        expect(all.slice(13).every((item) => item.flag === false)).toBe(true);
      });

      it('a continuation token is an opaque string that can be sent back later', async () => {
        const first = await items.query({ limit: 10, orderBy: { field: 'n', direction: 'asc' } });
        const token = JSON.parse(JSON.stringify({ token: first.continuation })) as { token: string };
        const second = await items.query({ limit: 10, orderBy: { field: 'n', direction: 'asc' }, continuation: token.token });
        expect(ids(second.items)).toEqual(expected.slice(10, 20));
        expect(encodeURIComponent(token.token)).toBe(token.token);
      });

      it('refuses a token it could not have issued with 400 invalid_continuation, whatever its shape', async () => {
        const json = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
        const forged = [
          ...[null, 1, -1, 1.5, true, 'x', '', [], [1, 2], {}, { token: 1 }, { token: null }, { token: '' }, { token: {} }, { compositeToken: null }, { compositeToken: 1 },
            { rangeMappings: 1 }, { rangeMappings: [null] }, { rangeMappings: [] }, { token: 'x', range: 1 }, { token: 'x', range: { min: 1, max: 2 } }, { k: {}, s: 1 }, { k: 'a', s: 'x' }, { k: [1], s: 2 },
            { k: 'a', s: 1.5 }, { k: 'a' }, { s: null }].map(json),
          'not base64url at all!',
          Buffer.from('{"token":').toString('base64url'),
        ];
        const outcomes = [];
        for (const continuation of forged) {
          for (const spec of [{ limit: 5 }, { limit: 5, partitionKey: 't1' }, { limit: 5, orderBy: { field: 'n', direction: 'desc' } }] as QuerySpec[]) {
            const outcome = await items.query({ ...spec, continuation }).then(
              () => 'accepted',
              (error: unknown) => (error instanceof AppError ? `${error.status} ${error.code}` : String(error)),
            );
            outcomes.push([Buffer.from(continuation, 'base64url').toString('utf8'), outcome]);
          }
        }
        expect(outcomes.filter(([, outcome]) => outcome !== '400 invalid_continuation')).toEqual([]);
      });
    });
  });
}

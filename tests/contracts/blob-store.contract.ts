/**
 * The BlobStore contract (domain/ports.ts): one suite, run against every implementation by the
 * blobs-*.test.ts runners, so the memory store used in unit tests behaves like Azure's.
 */
import { describe, it, expect, beforeAll } from '@jest/globals';
import type { BlobStore } from '../../domain/ports.ts';
import { rejection } from '../support/assertions.ts';

export interface BlobContractEnv {
  store: BlobStore;
  /** The query parameter of a read URL that carries its expiry (`se` for a SAS). */
  expiryParam: string;
  /** The store's notion of now, in epoch ms (a fake clock, or Date.now). */
  now(): number;
}

const bytes256 = () => Uint8Array.from({ length: 256 }, (_, index) => index);

/** Resolves to the AppError's status and code, or fails the test when the promise resolves. */

export function describeBlobStoreContract(label: string, setup: () => Promise<BlobContractEnv> | BlobContractEnv): void {
  describe(`BlobStore contract: ${label}`, () => {
    let env: BlobContractEnv;
    let store: BlobStore;
    // A fresh container per test, so tests never see each other's blobs.
    const run = Math.random().toString(36).slice(2, 8);
    let counter = 0;
    const container = () => `contract-${run}-${++counter}`;

    beforeAll(async () => {
      env = await setup();
      store = env.store;
    });

    it('round-trips every byte value with its content type, and creates the container', async () => {
      const c = container();
      await store.put(c, 'all-bytes.bin', bytes256(), 'application/x-test; v=1');
      const blob = await store.get(c, 'all-bytes.bin');
      expect(blob).toBeDefined();
      expect(blob!.bytes).toBeInstanceOf(Uint8Array);
      expect(Array.from(blob!.bytes)).toEqual(Array.from(bytes256()));
      expect(blob!.contentType).toBe('application/x-test; v=1');
    });

    it('round-trips an empty blob', async () => {
      const c = container();
      await store.put(c, 'empty', new Uint8Array(), 'text/plain');
      const blob = await store.get(c, 'empty');
      expect(blob?.bytes.length).toBe(0);
      expect(blob?.contentType).toBe('text/plain');
    });

    it('stores a copy: changing the caller’s buffers afterwards changes nothing stored', async () => {
      const c = container();
      const input = bytes256();
      await store.put(c, 'copy', input, 'application/octet-stream');
      input.fill(0);
      const first = await store.get(c, 'copy');
      first!.bytes.fill(7);
      const second = await store.get(c, 'copy');
      expect(Array.from(second!.bytes)).toEqual(Array.from(bytes256()));
    });

    it('stores only the bytes of a view, not the rest of its buffer', async () => {
      const c = container();
      const backing = Uint8Array.from({ length: 64 }, (_, index) => index);
      await store.put(c, 'view', backing.subarray(10, 20), 'application/octet-stream');
      expect(Array.from((await store.get(c, 'view'))!.bytes)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    });

    it('overwrites an existing blob, bytes and content type', async () => {
      const c = container();
      await store.put(c, 'doc', new TextEncoder().encode('first version, longer'), 'text/plain');
      await store.put(c, 'doc', new TextEncoder().encode('{"v":2}'), 'application/json');
      const blob = await store.get(c, 'doc');
      expect(new TextDecoder().decode(blob!.bytes)).toBe('{"v":2}');
      expect(blob!.contentType).toBe('application/json');
      expect(await store.list(c)).toEqual(['doc']);
    });

    it('gets undefined for a missing blob, and for a missing container', async () => {
      const c = container();
      await store.put(c, 'present', bytes256(), 'application/octet-stream');
      expect(await store.get(c, 'absent')).toBeUndefined();
      expect(await store.get(container(), 'anything')).toBeUndefined();
    });

    it('keeps names with spaces, URL-special and non-ASCII characters, and 1024-character names', async () => {
      const c = container();
      const names = ['a b.txt', 'q?x=1&y', 'h#1', 'p%20q', 'plus+sign', 'ü/😀.json', 'dir/sub/file', 'x'.repeat(1024)];
      for (const [index, name] of names.entries()) await store.put(c, name, Uint8Array.of(index), 'application/octet-stream');
      for (const [index, name] of names.entries()) expect(Array.from((await store.get(c, name))?.bytes ?? [])).toEqual([index]);
      expect(await store.list(c)).toEqual([...names].sort());
    });

    it('lists every name, sorted, across pages, with and without a prefix', async () => {
      const c = container();
      const names = [
        ...Array.from({ length: 12 }, (_, index) => `a/${index}`),
        ...Array.from({ length: 18 }, (_, index) => `b/item-${index}.json`),
      ];
      // Written out of order, so a sorted answer is the store's doing.
      const shuffled = names.map((name, index) => ({ name, key: (index * 17) % names.length })).sort((x, y) => x.key - y.key);
      await Promise.all(shuffled.map(({ name }) => store.put(c, name, Uint8Array.of(1), 'application/octet-stream')));

      const sorted = [...names].sort();
      expect(await store.list(c)).toEqual(sorted);
      expect(await store.list(c, '')).toEqual(sorted);
      expect(await store.list(c, 'a/')).toEqual(sorted.filter((name) => name.startsWith('a/')));
      expect(await store.list(c, 'a/1')).toEqual(['a/1', 'a/10', 'a/11']);
      expect(await store.list(c, 'b/item-1')).toHaveLength(9);
      expect(await store.list(c, 'nothing/')).toEqual([]);
    });

    it('lists a page at a time with each blob\'s last write time, with and without a prefix', async () => {
      const c = container();
      const before = env.now();
      const names = Array.from({ length: 7 }, (_, index) => `p/${index}`);
      for (const name of names) await store.put(c, name, Uint8Array.of(1), 'application/octet-stream');
      await store.put(c, 'q/other', Uint8Array.of(1), 'application/octet-stream');
      const after = env.now();

      const seen: string[] = [];
      let continuation: string | undefined;
      let pages = 0;
      do {
        const page = await store.listPage(c, { prefix: 'p/', limit: 3, ...(continuation ? { continuation } : {}) });
        expect(page.items.length).toBeLessThanOrEqual(3);
        for (const item of page.items) {
          seen.push(item.name);
          // Whole seconds on the services; a second's slack either side.
          expect(item.lastModified.getTime()).toBeGreaterThanOrEqual(before - 1000);
          expect(item.lastModified.getTime()).toBeLessThanOrEqual(after + 1000);
        }
        continuation = page.continuation;
        pages++;
      } while (continuation && pages < 10);
      expect(seen.sort()).toEqual(names);
      expect(pages).toBeGreaterThanOrEqual(3);
      expect((await store.listPage(c, { limit: 100 })).items.map((item) => item.name).sort()).toEqual([...names, 'q/other'].sort());
    });

    it('lists an empty page for a missing container, and refuses a page size outside 1-5000', async () => {
      expect(await store.listPage(container(), { limit: 10 })).toEqual({ items: [] });
      expect(await rejection(store.listPage(container(), { limit: 0 }))).toMatchObject({ status: 400 });
      expect(await rejection(store.listPage(container(), { limit: 5001 }))).toMatchObject({ status: 400 });
    });

    it('lists nothing in a missing container', async () => {
      expect(await store.list(container())).toEqual([]);
      expect(await store.list(container(), 'a/')).toEqual([]);
    });

    it('deletes: true when something was deleted, then false', async () => {
      const c = container();
      await store.put(c, 'gone', bytes256(), 'application/octet-stream');
      await store.put(c, 'kept', bytes256(), 'application/octet-stream');
      expect(await store.delete(c, 'gone')).toBe(true);
      expect(await store.delete(c, 'gone')).toBe(false);
      expect(await store.get(c, 'gone')).toBeUndefined();
      expect(await store.list(c)).toEqual(['kept']);
      expect(await store.delete(container(), 'never')).toBe(false);
    });

    it('accepts container names at the edges of the rules', async () => {
      for (const c of ['abc', 'a'.repeat(63), '1-2-3', `edge-${run}`]) {
        await store.put(c, 'n', Uint8Array.of(1), 'text/plain');
        expect(await store.list(c)).toEqual(['n']);
      }
    });

    it.each([
      ['too short', 'ab'],
      ['too long', 'a'.repeat(64)],
      ['upper case', 'Upper-case'],
      ['a double hyphen', 'a--b'],
      ['a leading hyphen', '-abc'],
      ['a trailing hyphen', 'abc-'],
      ['an underscore', 'a_bc'],
      ['a slash', 'ab/cd'],
      ['empty', ''],
    ])('refuses a container name that is %s, in every operation, with 400 invalid_name', async (_why, bad) => {
      const expected = { status: 400, code: 'invalid_name' };
      expect(await rejection(store.put(bad, 'n', Uint8Array.of(1), 'text/plain'))).toEqual(expected);
      expect(await rejection(store.get(bad, 'n'))).toEqual(expected);
      expect(await rejection(store.list(bad))).toEqual(expected);
      expect(await rejection(store.delete(bad, 'n'))).toEqual(expected);
      expect(await rejection(store.readUrl(bad, 'n', 60))).toEqual(expected);
    });

    it.each([
      ['empty', ''],
      ['1025 characters', 'x'.repeat(1025)],
      ['a newline', 'a\nb'],
      ['a NUL', 'a\u0000b'],
      ['DEL', 'a\u007fb'],
      ['a C1 control', 'a\u0085b'],
      ['a lone surrogate', 'a\ud800b'],
      ['a ".." segment', 'a/../b'],
      ['a "." segment', './a'],
    ])('refuses a blob name with %s, in every operation, with 400 invalid_name', async (_why, bad) => {
      const c = container();
      const expected = { status: 400, code: 'invalid_name' };
      expect(await rejection(store.put(c, bad, Uint8Array.of(1), 'text/plain'))).toEqual(expected);
      expect(await rejection(store.get(c, bad))).toEqual(expected);
      expect(await rejection(store.delete(c, bad))).toEqual(expected);
      expect(await rejection(store.readUrl(c, bad, 60))).toEqual(expected);
      expect(await store.list(c)).toEqual([]);
    });

    it('refuses a list prefix with control characters', async () => {
      expect(await rejection(store.list(container(), 'a\r\n'))).toEqual({ status: 400, code: 'invalid_name' });
    });

    it.each([['empty', ''], ['a header injection', 'text/plain\r\nx-evil: 1']])(
      'refuses a content type that is %s with 400 invalid_content_type',
      async (_why, bad) => {
        const c = container();
        expect(await rejection(store.put(c, 'n', Uint8Array.of(1), bad))).toEqual({ status: 400, code: 'invalid_content_type' });
        expect(await store.get(c, 'n')).toBeUndefined();
      },
    );

    it('gives a read URL that names the blob and expires ttlSeconds from now', async () => {
      const c = container();
      const name = 'reports/2024 ü.pdf';
      await store.put(c, name, bytes256(), 'application/pdf');
      const before = env.now();
      const url = new URL(await store.readUrl(c, name, 300));
      const after = env.now();
      expect(decodeURIComponent(url.href)).toContain(c);
      expect(decodeURIComponent(url.pathname).endsWith(`/${name}`)).toBe(true);
      const expiry = Date.parse(url.searchParams.get(env.expiryParam) ?? '');
      // A SAS carries whole seconds, so allow one second either side.
      expect(expiry).toBeGreaterThanOrEqual(before + 300_000 - 1000);
      expect(expiry).toBeLessThanOrEqual(after + 300_000 + 1000);
    });

    it.each([[0], [-5], [Number.NaN], [7 * 24 * 3600 + 1]])('refuses a read URL ttl of %p seconds with 400 invalid_ttl', async (ttl) => {
      expect(await rejection(store.readUrl(container(), 'n', ttl))).toEqual({ status: 400, code: 'invalid_ttl' });
    });

    it('gives a write URL for one blob that names it, the headers its PUT must carry, and an expiry ttlSeconds from now', async () => {
      const c = container();
      const name = 'uploads/user 1/ü.wav';
      const before = env.now();
      const upload = await store.writeUrl(c, name, 600, 'audio/wav');
      const after = env.now();
      const url = new URL(upload.url);
      expect(decodeURIComponent(url.href)).toContain(c);
      expect(decodeURIComponent(url.pathname).endsWith(`/${name}`)).toBe(true);
      expect(upload.headers['content-type']).toBe('audio/wav');
      // Whole seconds, as a SAS or a presigned URL carries them.
      expect(upload.expiresAt.getTime()).toBeGreaterThanOrEqual(before + 600_000 - 1000);
      expect(upload.expiresAt.getTime()).toBeLessThanOrEqual(after + 600_000 + 1000);
      // Nothing is written until the PUT.
      expect(await store.list(c)).toEqual([]);
    });

    it('refuses a write URL for a bad container, name, ttl or content type', async () => {
      expect(await rejection(store.writeUrl('Bad_Name', 'n', 60, 'audio/wav'))).toEqual({ status: 400, code: 'invalid_name' });
      expect(await rejection(store.writeUrl(container(), 'a/../b', 60, 'audio/wav'))).toEqual({ status: 400, code: 'invalid_name' });
      expect(await rejection(store.writeUrl(container(), 'n', 0, 'audio/wav'))).toEqual({ status: 400, code: 'invalid_ttl' });
      expect(await rejection(store.writeUrl(container(), 'n', 60, 'audio/wav\r\nx-evil: 1'))).toEqual({ status: 400, code: 'invalid_content_type' });
    });
  });
}

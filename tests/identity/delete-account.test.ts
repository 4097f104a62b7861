/**
 * DELETE /api/delete_account with identity and wardrobe served together on memory ports and the
 * platform's real token service: every container a manifest declares for erase, and the user's
 * blobs, are emptied for the caller and no one else; the answer is 204; the caller's access and
 * refresh tokens stop working; a failed service leaves the account in place for a retry.
 */
import { describe, expect, it } from '@jest/globals';
import type { ContainerSpec, Document, DocumentRepository, DocumentStore } from '../../domain/ports.ts';
import wardrobe from '../../handlers/wardrobe/index.ts';
import { MemoryDocumentStore } from '../../adapters/memory/documents.ts';
import { testClock } from '../support/jobs.ts';
import { setup } from './support.ts';

const PASSWORD = 'correct horse battery';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/**
 * The field naming a container's user: its erase entry's `userField`, else `userId` (shared
 * collections are their own partitions and name their owner in `ownerId`).
 */
const userFieldOf = (container: ContainerSpec) => wardrobe.erase?.documents?.find((entry) => entry.container.name === container.name)?.userField ?? 'userId';

/** One document per wardrobe container, and two blobs, for the user. */
async function seedWardrobe(t: ReturnType<typeof setup>, userId: string) {
  for (const container of wardrobe.containers) {
    await t.documents.repository<Document>(container).create({ id: `${container.name}-${userId}`, userId, [userFieldOf(container)]: userId });
  }
  await t.ports.blobs.put('wardrobe-archive', `${encodeURIComponent(userId)}/a.jpeg`, new Uint8Array([1]), 'image/jpeg');
  await t.ports.blobs.put('wardrobe-images', `${encodeURIComponent(userId)}/a.webp`, new Uint8Array([1]), 'image/webp');
}

async function wardrobeLeft(t: ReturnType<typeof setup>, userId: string) {
  let documents = 0;
  for (const container of wardrobe.containers) {
    const field = userFieldOf(container);
    const partition = container.partitionKey === field ? { partitionKey: userId } : {};
    documents += (await t.documents.repository<Document>(container).query({ ...partition, filters: [{ field, op: '=', value: userId }], limit: 10 })).items.length;
  }
  const blobs = (await t.ports.blobs.list('wardrobe-archive', `${userId}/`)).length + (await t.ports.blobs.list('wardrobe-images', `${userId}/`)).length;
  return { documents, blobs };
}

async function world(store?: DocumentStore) {
  const clock = testClock();
  const t = setup({ platformTokens: true, alongside: [wardrobe], clock, store: store ?? new MemoryDocumentStore(clock) });
  const ann = await t.signUp('ann@example.com', PASSWORD);
  const bob = await t.signUp('bob@example.com', PASSWORD);
  await seedWardrobe(t, ann.user.id);
  await seedWardrobe(t, bob.user.id);
  const del = (token: string) => t.request('axly-delete-account', { method: 'DELETE', path: '/api/delete_account', headers: bearer(token) });
  const me = (token: string) => t.request('auth-me', { method: 'GET', path: '/api/auth/me', headers: bearer(token) });
  return { t, ann, bob, del, me };
}

describe('DELETE /api/delete_account', () => {
  it("erases the caller's data in every service, and nobody else's", async () => {
    const { t, ann, bob, del } = await world();
    expect(await wardrobeLeft(t, ann.user.id)).toEqual({ documents: wardrobe.containers.length, blobs: 2 });

    const reply = await del(ann.accessToken);
    expect([reply.statusCode, reply.body]).toEqual([204, '']);

    expect(await wardrobeLeft(t, ann.user.id)).toEqual({ documents: 0, blobs: 0 });
    expect(await wardrobeLeft(t, bob.user.id)).toEqual({ documents: wardrobe.containers.length, blobs: 2 });
    expect(await t.documents.repository<Document>({ name: 'accounts', partitionKey: 'id' }).get(ann.user.id, ann.user.id)).toBeUndefined();
    expect(await t.documents.repository<Document>({ name: 'accounts', partitionKey: 'id' }).get(bob.user.id, bob.user.id)).toBeDefined();
    // The log names what went, per service.
    const line = t.lines.map((text) => JSON.parse(text) as Record<string, unknown>).find((record) => record.msg === 'account erased') as { erased: Record<string, { name: string; count: number }[]> } | undefined;
    const counts = (service: string) => Object.fromEntries((line?.erased[service] ?? []).map(({ name, count }) => [name, count]));
    expect(counts('wardrobe')).toMatchObject({ 'wardrobe-items': 1, 'chat-messages': 1, 'blobs:wardrobe-archive': 1, 'blobs:wardrobe-images': 1 });
    expect(counts('identity')).toMatchObject({ accounts: 1, 'account-emails': 1, 'refresh-tokens': 1, 'refresh-families': 1 });
  });

  it("stops the caller's tokens working; the other user's still work", async () => {
    const { t, ann, bob, del, me } = await world();
    expect((await me(ann.accessToken)).statusCode).toBe(200);
    expect((await del(ann.accessToken)).statusCode).toBe(204);

    expect((await me(ann.accessToken)).statusCode).toBe(401);
    expect((await del(ann.accessToken)).statusCode).toBe(401);
    expect((await t.post('refresh', { refreshToken: ann.refreshToken })).statusCode).toBe(401);
    expect((await t.post('login', { email: 'ann@example.com', password: PASSWORD })).statusCode).toBe(401);
    expect((await me(bob.accessToken)).statusCode).toBe(200);
    // The address is free again: a new sign-up is a new user, whose tokens work.
    const again = await t.signUp('ann@example.com', PASSWORD);
    expect(again.user.id).not.toBe(ann.user.id);
    expect((await me(again.accessToken)).statusCode).toBe(200);
  });

  it('is idempotent: erasing again finds nothing and reports zeros', async () => {
    const { t, ann, del } = await world();
    expect((await del(ann.accessToken)).statusCode).toBe(204);
    const report = await t.app.depsOf('identity').eraseUser(ann.user.id, t.logger);
    expect(Object.values(report.services).flatMap((counts) => Object.values(counts)).every((count) => count === 0)).toBe(true);
  });

  it('keeps the account when a service fails (503 erase_incomplete), and a retry finishes', async () => {
    const clock = testClock();
    const memory = new MemoryDocumentStore(clock);
    let failMoods = true;
    // A store whose wardrobe-moods deletes fail until told otherwise.
    const flaky: DocumentStore = {
      ensure: (specs) => memory.ensure(specs),
      repository: <T extends Document>(spec: Parameters<DocumentStore['repository']>[0]): DocumentRepository<T> => {
        const repository = memory.repository<T>(spec);
        if (spec.name !== 'wardrobe-moods') return repository;
        return {
          get: (...args) => repository.get(...args),
          create: (document: T) => repository.create(document),
          upsert: (document: T) => repository.upsert(document),
          replace: (document: T, ifMatch: string) => repository.replace(document, ifMatch),
          query: (spec) => repository.query(spec),
          purgeExpired: (max) => repository.purgeExpired(max),
          delete: (...args) => (failMoods ? Promise.reject(new Error('store down')) : repository.delete(...args)),
        };
      },
    };
    const { t, ann, del, me } = await world(flaky);
    const failed = await del(ann.accessToken);
    expect([failed.statusCode, failed.json?.code]).toEqual([503, 'erase_incomplete']);
    expect((await me(ann.accessToken)).statusCode).toBe(200);
    expect((await t.post('login', { email: 'ann@example.com', password: PASSWORD })).statusCode).toBe(200);

    failMoods = false;
    expect((await del(ann.accessToken)).statusCode).toBe(204);
    expect(await wardrobeLeft(t, ann.user.id)).toEqual({ documents: 0, blobs: 0 });
    expect((await me(ann.accessToken)).statusCode).toBe(401);
  });
});

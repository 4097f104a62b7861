/**
 * The digest's application logic: building a user's digest, and starting a run. A run pages
 * through the owners of wardrobe items and enqueues one digest job per batch of them; the job
 * builds each user's digest (build()).
 */
import { createHash } from 'node:crypto';
import type { Clock, DocumentStore, Stored } from '../../../domain/ports.ts';
import { composeDigest, digestIdOf, isoWeekOf, wardrobeKey, type DigestItem } from '../../../domain/wardrobe/digest.ts';
import { isoSeconds } from '../../../domain/time.ts';
import type { JobClient } from '../../../jobs/job-client.ts';
import { traceOf } from '../../../middleware/trace-context.ts';
import { ownedItemsOf, type StoredItemDoc } from '../insights/store.ts';
import { stylesOf } from '../../../domain/wardrobe/profile.ts';
import { itemsContainer } from '../items/store.ts';
import { readProfile, updateServerFields } from '../profile/store.ts';
import { digestsContainer, type DigestDoc } from './store.ts';
import { DIGEST_BATCH_USERS, digestJob } from './jobs.ts';

export interface DigestBuilderDeps {
  documents: DocumentStore;
  clock: Clock;
}

/** What a build did: a new digest, or why none was needed. */
export type DigestOutcome = { status: 'ok'; digest: DigestDoc } | { status: 'skipped'; reason: 'wardrobe_empty' | 'wardrobe_unchanged' };

/** What the owner sees of a stored digest: no storage fields. */
export const digestView = ({ etag: _etag, expiresAt: _expiresAt, ...rest }: Stored<DigestDoc>): DigestDoc => rest as DigestDoc;

/**
 * Whether a stored digest has the clients' shape. The earlier design's week-named digests
 * (`2026-W48`, no `wardrobeHash`) may still be in the container; they are never served.
 */
export const isCurrentDigest = (digest: Partial<DigestDoc>): boolean => typeof digest.wardrobeHash === 'string' && Array.isArray(digest.suggestions);

/** The user's digests (current shape only: a missing field never matches a filter), newest first, a page at a time. */
export function digestPages(documents: DocumentStore) {
  const digests = documents.repository<DigestDoc>(digestsContainer);
  return (userId: string, limit: number, continuation?: string) =>
    digests.query({ partitionKey: userId, filters: [{ field: 'userId', op: '=', value: userId }, { field: 'wardrobeHash', op: '>=', value: '' }], orderBy: { field: 'generatedAt', direction: 'desc' }, limit, ...(continuation ? { continuation } : {}) });
}

/** 16 hex of the SHA-256 of the wardrobe's key: the digest's name and its change detector. */
export const wardrobeHash = (items: readonly DigestItem[]) => createHash('sha256').update(wardrobeKey(items)).digest('hex').slice(0, 16);

export function createDigestBuilder(deps: DigestBuilderDeps) {
  const digests = deps.documents.repository<DigestDoc>(digestsContainer);

  /**
   * Builds and stores the user's digest of their wardrobe as of `asOf`, considering their
   * profile's styles and climate zone. Skipped when they have no finalised item, or (unless
   * `force`) when their profile says their last digest was built from the same wardrobe: its
   * suggestions would be the same. The profile's `wardrobeHashAtLastDigest` is written after the
   * digest, so a failure between the two only costs a rebuild of the same digest.
   */
  async function build(userId: string, asOf: Date, options: { force?: boolean } = {}): Promise<DigestOutcome> {
    const [items, profile] = await Promise.all([ownedItemsOf(deps.documents, userId), readProfile(deps.documents, userId)]);
    if (items.length === 0) return { status: 'skipped', reason: 'wardrobe_empty' };
    const hash = wardrobeHash(items);
    if (!options.force && profile.wardrobeHashAtLastDigest === hash) return { status: 'skipped', reason: 'wardrobe_unchanged' };
    const content = composeDigest({ items, wardrobeHash: hash, asOf, stylesConsidered: stylesOf(profile), climateZone: profile.climateZone });
    const stored = await digests.upsert({ id: digestIdOf(userId, hash), userId, generatedAt: isoSeconds(deps.clock.now()), ...content });
    await updateServerFields(deps.documents, userId, { wardrobeHashAtLastDigest: hash }, deps.clock.now());
    return { status: 'ok', digest: digestView(stored) };
  }

  return { build };
}

export type DigestBuilder = ReturnType<typeof createDigestBuilder>;

/**
 * Up to `max` distinct owners of wardrobe items after `after`, in id order: a skip scan (one
 * single-item cross-partition query per owner), since the store has no DISTINCT.
 */
export async function ownersAfter(documents: DocumentStore, after: string | undefined, max: number): Promise<string[]> {
  const items = documents.repository<StoredItemDoc>(itemsContainer);
  const owners: string[] = [];
  let last = after;
  while (owners.length < max) {
    const page = await items.query({ ...(last === undefined ? {} : { filters: [{ field: 'userId', op: '>', value: last }] }), orderBy: { field: 'userId', direction: 'asc' }, limit: 1 });
    const owner = page.items[0]?.userId;
    if (owner === undefined) break;
    owners.push(owner);
    last = owner;
  }
  return owners;
}

const shortHash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 24);

/** A job id per run and batch: a repeated run (the same slot) enqueues nothing new. */
export const digestJobId = (runId: string, userIds: readonly string[]) => `digest-${runId}-${shortHash(userIds.join('\n'))}`;

export interface DigestRun {
  week: string;
  users: number;
  jobs: string[];
}

/**
 * Starts a run: one user, or every owner, a batch per job. `runId` names the run (the timer's
 * slot, or a fresh id for an admin's run), so the jobs of one run are idempotent.
 */
export async function startDigestRun(deps: { documents: DocumentStore; jobs: Pick<JobClient, 'enqueue'> }, run: { runId: string; asOf: Date; userId?: string; traceparent?: string }): Promise<DigestRun> {
  const asOf = run.asOf.toISOString();
  const jobs: string[] = [];
  let users = 0;
  const enqueue = async (userIds: string[]) => {
    jobs.push(await deps.jobs.enqueue(digestJob, { userIds, asOf }, { jobId: digestJobId(run.runId, userIds), ...traceOf(run) }));
    users += userIds.length;
  };
  if (run.userId !== undefined) {
    await enqueue([run.userId]);
  } else {
    let after: string | undefined;
    for (;;) {
      const batch = await ownersAfter(deps.documents, after, DIGEST_BATCH_USERS);
      if (batch.length === 0) break;
      await enqueue(batch);
      after = batch[batch.length - 1];
    }
  }
  return { week: isoWeekOf(run.asOf), users, jobs };
}

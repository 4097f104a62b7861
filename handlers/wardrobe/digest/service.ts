/**
 * The digest's application logic: building a user's digest, and starting a run. A run pages
 * through the owners of wardrobe items and enqueues one digest job per batch of them; the job
 * builds each user's digest (build()).
 */
import { createHash } from 'node:crypto';
import type { LanguageModel } from '../../../domain/ai.ts';
import { AppError } from '../../../domain/errors.ts';
import type { Clock, DocumentStore } from '../../../domain/ports.ts';
import { composeDigest, isoWeekOf, offlineSummary, type DigestContent } from '../../../domain/wardrobe/digest.ts';
import type { Logger } from '../../../middleware/logger.ts';
import type { JobClient } from '../../../jobs/job-client.ts';
import { traceOf } from '../../../middleware/trace-context.ts';
import { itemsContainer, type WardrobeItemDoc } from '../items/store.ts';
import { digestsContainer, type DigestDoc } from './store.ts';
import { DIGEST_BATCH_USERS, digestJob } from './jobs.ts';

const ITEM_PAGE = 500;
/** A digest reads at most this many items of one user (20 pages). */
const MAX_ITEMS = 10_000;
const SUMMARY_LIMIT = 1000;

export interface DigestBuilderDeps {
  documents: DocumentStore;
  clock: Clock;
  logger: Logger;
  /** Absent (unit tests): the offline template sentence is used without calling a model. */
  model?: LanguageModel | undefined;
}

export function createDigestBuilder(deps: DigestBuilderDeps) {
  const items = deps.documents.repository<WardrobeItemDoc>(itemsContainer);
  const digests = deps.documents.repository<DigestDoc>(digestsContainer);

  async function itemsOf(userId: string): Promise<WardrobeItemDoc[]> {
    const all: WardrobeItemDoc[] = [];
    let continuation: string | undefined;
    do {
      const page = await items.query({ partitionKey: userId, filters: [{ field: 'userId', op: '=', value: userId }], limit: ITEM_PAGE, ...(continuation ? { continuation } : {}) });
      all.push(...page.items);
      continuation = page.continuation;
    } while (continuation && all.length < MAX_ITEMS);
    return all;
  }

  async function previousOf(userId: string, week: string): Promise<DigestDoc | undefined> {
    const page = await digests.query({ partitionKey: userId, filters: [{ field: 'userId', op: '=', value: userId }, { field: 'week', op: '<', value: week }], orderBy: { field: 'week', direction: 'desc' }, limit: 1 });
    return page.items[0];
  }

  /** The model's summary, the offline sentence without a model; a failure leaves it out with a note. */
  async function summarise(content: DigestContent, userId: string, trace: { traceparent?: string }): Promise<Pick<DigestDoc, 'summary' | 'notes'>> {
    if (!deps.model) return { summary: { text: offlineSummary(content), model: 'offline-template', offline: true }, notes: [] };
    try {
      const result = await deps.model.structured<{ summary: string }>({
        task: 'wardrobe.digest-summary',
        ...trace,
        messages: [
          { role: 'system', content: 'Write one or two friendly sentences summarising this weekly wardrobe digest. Use only the facts given; invent nothing.' },
          {
            role: 'user',
            content: JSON.stringify({
              week: content.week,
              items: content.itemCount,
              unworn: content.unworn.items.slice(0, 5).map((item) => ({ name: item.name, days: item.days })),
              unwornCount: content.unworn.count,
              costPerWear: content.costPerWear.slice(0, 5).map((change) => ({ name: change.name, then: change.costPerWearThen, now: change.costPerWearNow, currency: change.currency })),
              suggestions: content.suggestions.map((suggestion) => suggestion.text),
            }),
          },
        ],
        schema: { name: 'digest_summary', schema: { type: 'object', additionalProperties: false, required: ['summary'], properties: { summary: { type: 'string' } } } },
        offline: () => ({ summary: offlineSummary(content) }),
        maxOutputTokens: 200,
        userId,
      });
      return { summary: { text: result.value.summary.slice(0, SUMMARY_LIMIT), model: result.model, offline: result.offline }, notes: [] };
    } catch (error) {
      const code = error instanceof AppError ? error.code : 'model_error';
      deps.logger.warn({ code }, 'digest summary unavailable; the digest is stored without it');
      return { notes: [`summary_unavailable: ${code}`] };
    }
  }

  /** Builds and stores one user's digest for the week of `asOf`; a second build of that week replaces it. */
  async function build(userId: string, asOf: Date, trace: { traceparent?: string } = {}): Promise<DigestDoc> {
    const week = isoWeekOf(asOf);
    const [owned, previous] = await Promise.all([itemsOf(userId), previousOf(userId, week)]);
    const content = composeDigest({ items: owned, previous, asOf });
    const digest: DigestDoc = { id: week, userId, ...content, ...(await summarise(content, userId, trace)), generatedAt: deps.clock.now().toISOString() };
    const { etag: _etag, ...stored } = await digests.upsert(digest);
    return stored as DigestDoc;
  }

  return { build };
}

export type DigestBuilder = ReturnType<typeof createDigestBuilder>;

/**
 * Up to `max` distinct owners of wardrobe items after `after`, in id order: a skip scan (one
 * single-item cross-partition query per owner), since the store has no DISTINCT.
 */
export async function ownersAfter(documents: DocumentStore, after: string | undefined, max: number): Promise<string[]> {
  const items = documents.repository<WardrobeItemDoc>(itemsContainer);
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

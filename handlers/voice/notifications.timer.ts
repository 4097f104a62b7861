/**
 * The notifications timer (every minute, once per slot): takes the pending notifications that
 * are due, a page at a time, and for each enqueues one `voice.webhook` delivery per registration
 * of its owner subscribed to its event, then marks it `sent` (kept VOICE_NOTIFICATION_RETENTION_DAYS).
 * A notification nobody subscribes to is marked sent with nothing to deliver.
 *
 * Each notification is claimed first with an ETag-checked write that moves its `dueAt` a lease
 * ahead: of two hosts reading the same page, one claims it and the other skips it, and one whose
 * host dies before `sent` is taken again after the lease. The delivery jobs' ids are one per
 * notification and registration, so taking it again never enqueues a delivery twice.
 */
import { PreconditionFailedError } from '../../domain/errors.ts';
import type { Clock, DocumentStore, Stored } from '../../domain/ports.ts';
import type { JobClient } from '../../jobs/job-client.ts';
import { oncePerSlot } from '../../jobs/slots.ts';
import type { FunctionDef, TimerLambda, TimerTrigger } from '../../kernel/functions.ts';
import type { Logger } from '../../middleware/logger.ts';
import { deliveryJobId, webhookJob } from './jobs.ts';
import type { VoiceSettings } from './settings.ts';
import { voiceStores, webhooksOf, type NotificationDoc } from './store.ts';

/** Notifications taken per page, and pages per firing; the rest wait for the next minute. */
const PAGE = 100;
const PAGES = 10;
/** How long a claim holds a notification from the other hosts. */
const LEASE_MS = 5 * 60_000;

export interface NotifierDeps {
  documents: DocumentStore;
  clock: Clock;
  logger: Logger;
  jobs: Pick<JobClient, 'enqueue'>;
  settings: VoiceSettings;
}

export interface NotifierSummary {
  sent: number;
  deliveries: number;
  /** Claimed by another host first. */
  skipped: number;
  errors: number;
}

export function createNotifier(deps: NotifierDeps) {
  const { notifications, webhooks } = voiceStores(deps.documents);

  /** The notification, now ours; undefined when another host claimed it (or it changed) since read. */
  async function claim(doc: Stored<NotificationDoc>, now: Date): Promise<Stored<NotificationDoc> | undefined> {
    try {
      return await notifications.replace({ ...doc, dueAt: new Date(now.getTime() + LEASE_MS).toISOString(), claimedAt: now.toISOString(), updatedAt: now.toISOString() }, doc.etag);
    } catch (error) {
      if (error instanceof PreconditionFailedError) return undefined;
      throw error;
    }
  }

  /** Enqueues its deliveries and marks it sent; answers how many deliveries. */
  async function deliver(doc: Stored<NotificationDoc>, now: Date): Promise<number> {
    const subscribed = (await webhooksOf(webhooks, doc.owner, deps.settings.webhooksPerUser)).filter((webhook) => webhook.events.includes(doc.event));
    for (const webhook of subscribed) {
      await deps.jobs.enqueue(webhookJob, { notificationId: doc.id, webhookId: webhook.id }, { jobId: deliveryJobId(doc.id, webhook.id) });
    }
    await notifications.replace(
      { ...doc, status: 'sent', sentAt: now.toISOString(), deliveries: subscribed.length, updatedAt: now.toISOString(), expiresAt: now.getTime() + deps.settings.retention.notificationSeconds * 1000 },
      doc.etag,
    );
    return subscribed.length;
  }

  return async function notify(log: Logger): Promise<NotifierSummary> {
    const summary: NotifierSummary = { sent: 0, deliveries: 0, skipped: 0, errors: 0 };
    const now = deps.clock.now();
    const due = [
      { field: 'status', op: '=', value: 'pending' },
      { field: 'dueAt', op: '<=', value: now.toISOString() },
    ] as const;
    // Each page is queried afresh: what this run claimed or sent no longer matches, so no continuation is needed.
    for (let page = 0; page < PAGES; page++) {
      const { items } = await notifications.query({ filters: due, orderBy: { field: 'dueAt', direction: 'asc' }, limit: PAGE });
      for (const doc of items) {
        try {
          const claimed = await claim(doc, now);
          if (!claimed) {
            summary.skipped++;
            continue;
          }
          summary.deliveries += await deliver(claimed, now);
          summary.sent++;
        } catch (error) {
          // Left pending (or claimed): the next run after the lease takes it again.
          summary.errors++;
          log.warn({ notificationId: doc.id, error: error instanceof Error ? error.message : String(error) }, 'could not send a notification; a later run tries again');
        }
      }
      if (items.length < PAGE) break;
    }
    return summary;
  };
}

export const notificationsTimer = (deps: NotifierDeps, def: FunctionDef<TimerTrigger>): TimerLambda => {
  const notify = createNotifier(deps);
  return oncePerSlot(
    def,
    async ({ slot }) => {
      const log = deps.logger.child({ function: def.name, slot });
      const summary = await notify(log);
      if (summary.sent + summary.skipped + summary.errors > 0) log.info({ ...summary }, 'notifications run');
    },
    deps,
  );
};

/**
 * The `voice.webhook` job: delivers one notification to one of its owner's registrations, a
 * Standard Webhooks POST signed with the registration's secret (the delivery is the shared
 * jobs/outgoing-webhooks.ts). The `webhook-id` is `msg_<job id>`, the same on every retry, so a
 * receiver de-duplicates by it. A non-2xx answer or a network failure is retried with backoff
 * (VOICE_WEBHOOK_JOB_*), then dead-lettered; an address the SSRF rules refuse is never retried.
 * A registration deleted meanwhile ends the job without sending.
 */
import type { WebhookPoster } from '../../domain/webhooks.ts';
import type { Clock, DocumentStore } from '../../domain/ports.ts';
import type { PageFetchSettings } from '../../domain/wardrobe/page-fetch.ts';
import { deliverWebhook, throwUnlessDelivered } from '../../jobs/outgoing-webhooks.ts';
import type { JobRun } from '../../kernel/jobs.ts';
import type { WebhookPayload } from './jobs.ts';
import type { VoiceSettings } from './settings.ts';
import { voiceStores } from './store.ts';

/**
 * Public addresses only (loopback too with VOICE_WEBHOOKS_ALLOW_LOOPBACK, for development), no
 * redirects (a receiver answers where it was registered); a receiver's answer is not read.
 */
const delivery = (allowLoopback: boolean): PageFetchSettings => ({ timeoutMs: 10_000, maxBytes: 64 * 1024, maxRedirects: 0, allowLoopback, userAgent: 'PorticoVoiceWebhooks/1.0' });

export interface WebhookJobDeps {
  documents: DocumentStore;
  clock: Clock;
  safeHttp(settings: PageFetchSettings): WebhookPoster;
  settings: Pick<VoiceSettings, 'webhooksAllowLoopback'>;
}

export function createRun(deps: WebhookJobDeps): JobRun<WebhookPayload> {
  const { notifications, webhooks } = voiceStores(deps.documents);
  const http = deps.safeHttp(delivery(deps.settings.webhooksAllowLoopback));
  return async ({ notificationId, webhookId }, context) => {
    const [notification, webhook] = await Promise.all([notifications.get(notificationId, notificationId), webhooks.get(webhookId, webhookId)]);
    if (!webhook || !notification || webhook.owner !== notification.owner) {
      return context.log.info({ notificationId, webhookId, registration: Boolean(webhook), notification: Boolean(notification) }, 'registration or notification gone; nothing sent');
    }
    const attempt = await deliverWebhook(
      http,
      { url: webhook.url, secret: webhook.secret, id: `msg_${context.jobId}`, type: notification.event, data: notification.data },
      { now: deps.clock.now(), signal: context.signal },
    );
    throwUnlessDelivered(attempt, 'The voice webhook');
    context.log.info({ notificationId, webhookId }, 'voice webhook delivered');
  };
}

/**
 * A user's webhook registrations: POST /api/voice/webhooks (201 with the signing secret, shown
 * this once), GET /api/voice/webhooks (the caller's; Voice.Admin's `?owner=` anyone's), GET and DELETE /api/voice/webhooks/{id}.
 * A registration is its owner's like every voice item: another user's is 404 (Voice.Admin reads
 * and deletes anyone's). The notifications timer and the `voice.webhook` job deliver to them.
 */
import { randomBytes } from 'node:crypto';
import { badRequest, conflict } from '../../domain/errors.ts';
import type { Clock, DocumentStore, IdSource } from '../../domain/ports.ts';
import { checkTargetUrl } from '../../domain/wardrobe/address-policy.ts';
import { json, type PorticoHttpHandler } from '../../middleware/http-stack.ts';
import { ownerOf, pathId } from '../../middleware/resources.ts';
import { listedOwner, viewerOf } from './roles.ts';
import type { VoiceSettings } from './settings.ts';
import { readOwned, voiceStores, webhooksOf, type VoiceEvent, type WebhookDoc } from './store.ts';

export interface WebhookRoutesDeps {
  documents: DocumentStore;
  clock: Clock;
  ids: IdSource;
  settings: VoiceSettings;
}

export interface WebhookBody {
  url: string;
  events: VoiceEvent[];
}

/**
 * The registered URL: https only (a delivery carries the user's events), and an IP literal must
 * be public, checked as the capability service checks a callback URL. A host name resolving to a
 * private address passes here and is refused at each delivery by the SSRF-safe client. With
 * VOICE_WEBHOOKS_ALLOW_LOOPBACK (development), http to a loopback literal is taken too.
 */
function checkedUrl(text: string, allowLoopback: boolean): string {
  const { url, host } = checkTargetUrl(text, { allowLoopback });
  const loopback = allowLoopback && (host === '127.0.0.1' || host === '::1');
  if (url.protocol !== 'https:' && !loopback) throw badRequest('url_scheme_not_allowed', 'A webhook URL must be https.');
  return url.href;
}

/** 32 random bytes, as Standard Webhooks secrets are written. */
const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

const view = (doc: WebhookDoc) => ({ id: doc.id, url: doc.url, events: doc.events, created_at: doc.createdAt });

export const createWebhook = (deps: WebhookRoutesDeps): PorticoHttpHandler<WebhookBody> => {
  const { webhooks } = voiceStores(deps.documents);
  return async (event, context) => {
    const owner = ownerOf(context);
    const url = checkedUrl(event.json.url, deps.settings.webhooksAllowLoopback);
    const max = deps.settings.webhooksPerUser;
    if ((await webhooksOf(webhooks, owner, max)).length >= max) throw conflict('too_many_webhooks', `A user holds at most ${max} webhook registrations; delete one first.`);
    const now = deps.clock.now().toISOString();
    const doc = await webhooks.create({ id: deps.ids.next(), owner, url, events: event.json.events, secret: newSecret(), createdAt: now, updatedAt: now });
    return json(201, { ...view(doc), secret: doc.secret }, { location: `/api/voice/webhooks/${encodeURIComponent(doc.id)}` });
  };
};

export const listWebhooks = (deps: WebhookRoutesDeps): PorticoHttpHandler => {
  const { webhooks } = voiceStores(deps.documents);
  return async (event, context) => json(200, { items: (await webhooksOf(webhooks, listedOwner(event, viewerOf(context)), deps.settings.webhooksPerUser)).map(view) });
};

export const getWebhook = (deps: WebhookRoutesDeps): PorticoHttpHandler => {
  const { webhooks } = voiceStores(deps.documents);
  return async (event, context) => json(200, view(await readOwned(webhooks, pathId(event), viewerOf(context), 'webhook')));
};

export const deleteWebhook = (deps: WebhookRoutesDeps): PorticoHttpHandler => {
  const { webhooks } = voiceStores(deps.documents);
  return async (event, context) => {
    const doc = await readOwned(webhooks, pathId(event), viewerOf(context), 'webhook');
    await webhooks.delete(doc.id, doc.id);
    return { statusCode: 204, body: '' };
  };
};

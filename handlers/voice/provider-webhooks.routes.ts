/**
 * POST /api/webhooks/{source}: a voice provider's callback that a training ended. The platform's
 * webhook middleware has verified the Standard Webhooks signature (VOICE_WEBHOOK_SECRETS) and
 * claimed the delivery id before this runs, so each delivery is handled once. The voice is found
 * by its provider voice id and moved exactly as the training monitor would (settleTraining).
 */
import { AppError } from '../../domain/errors.ts';
import type { VoiceProvider } from '../../domain/voice/provider.ts';
import type { WebhookEvent } from '../../middleware/webhooks.ts';
import { json, type PorticoHttpHandler } from '../../middleware/http-stack.ts';
import type { EventDeps } from './events.ts';
import { TRAINING_EVENT_TYPES } from './schemas.ts';
import { voiceStores } from './store.ts';
import { PROVIDER_FAILURE_REASON, settleTraining } from './training.ts';

/** The providers that may call back: the `{source}` of the route, and a voice's `provider`. */
export const WEBHOOK_SOURCES: readonly VoiceProvider['name'][] = ['azure-speech', 'openai', 'offline'];

export interface ProviderEventBody {
  type: string;
  data?: { provider_voice_id?: string; reason?: string };
}

export type WebhookRouteDeps = EventDeps;

export const providerCallback = (deps: WebhookRouteDeps): PorticoHttpHandler<ProviderEventBody> => {
  const { voices } = voiceStores(deps.documents);
  return async (event: WebhookEvent<ProviderEventBody>, context) => {
    const source = event.pathParameters?.source ?? '';
    if (!(WEBHOOK_SOURCES as readonly string[]).includes(source)) throw new AppError(404, 'unknown_source', `No voice provider is named "${source}".`);
    const { type, data } = event.json;
    const log = context.log.child({ source, type, webhookId: event.webhook?.id });
    if (!(TRAINING_EVENT_TYPES as readonly string[]).includes(type)) {
      log.info('provider webhook of a type the voice service does not handle; ignored');
      return json(202, { status: 'ignored' });
    }
    const providerVoiceId = data!.provider_voice_id!;
    const page = await voices.query({
      filters: [{ field: 'providerVoiceId', op: '=', value: providerVoiceId }, { field: 'provider', op: '=', value: source }],
      limit: 1,
    });
    const voice = page.items[0];
    if (!voice || voice.status !== 'training') {
      // Deleted, already settled (the monitor got there first), or not ours: nothing to change.
      log.info({ providerVoiceId, voiceId: voice?.id, status: voice?.status }, 'provider webhook for no voice in training; acknowledged');
      return json(200, { status: 'acknowledged' });
    }
    if (type === 'voice.training.failed') log.warn({ voiceId: voice.id, reason: data?.reason }, 'voice training failed at the provider');
    const changed = await settleTraining(
      deps,
      voice,
      type === 'voice.training.succeeded' ? { status: 'ready' } : { status: 'failed', code: 'training_failed', reason: PROVIDER_FAILURE_REASON },
    );
    return json(200, { status: changed ? 'applied' : 'acknowledged' });
  };
};

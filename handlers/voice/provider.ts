/** The voice provider the service's settings select, and how its failures read to a client. */
import { AppError } from '../../domain/errors.ts';
import { VoiceProviderError, type VoiceProvider, type VoiceProviderSettings } from '../../domain/voice/provider.ts';
import type { VoiceSettings } from './settings.ts';

export interface ProviderDeps {
  settings: VoiceSettings;
  voiceProvider(settings: VoiceProviderSettings): VoiceProvider;
}

export const providerOf = (deps: ProviderDeps): VoiceProvider => deps.voiceProvider(deps.settings.providerSettings);

/** A transient provider failure as the 503 a client can retry; the provider's own words stay in the log. */
export function providerRefusal(error: unknown): unknown {
  if (error instanceof VoiceProviderError && error.transient) {
    return new AppError(503, 'provider_unavailable', 'The voice provider is unavailable; try again shortly.', { headers: { 'retry-after': String(error.retryAfterSeconds ?? 30) } });
  }
  return error;
}

/**
 * The voice service's settings (deps.settings), read at bind time and by start-up's check, so a
 * bad value stops the start naming the variable. Pure functions of `env`: the jobs' `configure`
 * reads the queue names from here when the app resolves its jobs, never at import.
 */
import { OPENAI_SPEECH_MAX_CHARS, type VoiceProviderSettings } from '../../domain/voice/provider.ts';
import { boolean, choice, ConfigError, httpUrl, integer, list, serviceUrl, text, type Env } from '../../kernel/env.ts';

/** Where uploads land: fixed, because the blob trigger's path (`voice-uploads/{name}`) is part of the function table. */
export const UPLOADS_CONTAINER = 'voice-uploads';

export type VoiceProviderName = VoiceProviderSettings['provider'];
const PROVIDERS: readonly VoiceProviderName[] = ['offline', 'azure-speech', 'openai'];

export interface VoiceContainers {
  /** Normalised samples (16 kHz mono WAV) and their playback copies. */
  samples: string;
  /** Originals as uploaded, moved out of the uploads container once processed. */
  archive: string;
  /** Synthesized audio. */
  synthesis: string;
}

export interface VoiceQueues {
  enrollment: string;
  synthesisShort: string;
  synthesisLong: string;
  /** Outgoing webhook deliveries (the `voice.webhook` job). */
  webhooks: string;
}

export interface SampleLimits {
  minSeconds: number;
  maxSeconds: number;
  /** An upload's declared and actual size cap. */
  maxBytes: number;
  /** Below this the voice is too poor to train on. */
  minSampleRate: number;
  maxChannels: number;
}

export interface TextLimits {
  /** Longest text of one synthesis. */
  maxChars: number;
  /** Texts up to this length go to the short queue, longer ones to the long queue. */
  shortMaxChars: number;
  /** Items in one batch. */
  batchMaxItems: number;
}

export interface VoiceSettings {
  provider: VoiceProviderName;
  containers: VoiceContainers;
  queues: VoiceQueues;
  samples: SampleLimits;
  text: TextLimits;
  /** Samples one enrollment takes. */
  enrollmentMaxSamples: number;
  uploadUrlTtlSeconds: number;
  audioUrlTtlSeconds: number;
  /** How long each kind of data is kept (the cleanup timer and document expiry use these). */
  retention: { rejectedSeconds: number; synthesisSeconds: number; unusedSampleSeconds: number; notificationSeconds: number };
  /** Webhook registrations one user may hold. */
  webhooksPerUser: number;
  /** Development only: registrations may name http on a loopback address, and deliveries reach it. */
  webhooksAllowLoopback: boolean;
  /**
   * The cleanup timer leaves a blob no document names alone until it is this old (an upload or a
   * job may be writing it right now), and gives an upload this long past its URL's expiry.
   */
  orphanGraceSeconds: number;
  /** A voice still training after this long is failed by the monitor. */
  trainingTimeoutSeconds: number;
  /** What the chosen provider needs (its keys, endpoints, defaults). */
  providerSettings: VoiceProviderSettings;
}

export const VOICE_VARIABLES = [
  'VOICE_PROVIDER', 'VOICE_SAMPLES_CONTAINER', 'VOICE_ARCHIVE_CONTAINER', 'VOICE_SYNTHESIS_CONTAINER',
  'VOICE_ENROLLMENT_QUEUE_NAME', 'VOICE_SYNTHESIS_SHORT_QUEUE_NAME', 'VOICE_SYNTHESIS_LONG_QUEUE_NAME', 'VOICE_WEBHOOK_QUEUE_NAME',
  'VOICE_SAMPLE_MIN_SECONDS', 'VOICE_SAMPLE_MAX_SECONDS', 'VOICE_UPLOAD_MAX_BYTES', 'VOICE_SAMPLE_MIN_RATE', 'VOICE_SAMPLE_MAX_CHANNELS',
  'VOICE_TEXT_MAX_CHARS', 'VOICE_SHORT_TEXT_MAX_CHARS', 'VOICE_BATCH_MAX_ITEMS', 'VOICE_ENROLLMENT_MAX_SAMPLES',
  'VOICE_UPLOAD_URL_TTL_SECONDS', 'VOICE_AUDIO_URL_TTL_SECONDS',
  'VOICE_REJECTED_RETENTION_DAYS', 'VOICE_SYNTHESIS_RETENTION_DAYS', 'VOICE_UNUSED_SAMPLE_RETENTION_DAYS',
  'VOICE_TRAINING_TIMEOUT_MINUTES', 'VOICE_OFFLINE_TRAINING_TICKS', 'VOICE_PROVIDER_TIMEOUT_MS',
  'AZURE_SPEECH_KEY', 'AZURE_SPEECH_REGION', 'AZURE_SPEECH_ENDPOINT', 'AZURE_SPEECH_BASE_MODEL', 'AZURE_SPEECH_LOCALE', 'AZURE_SPEECH_COMPANY_NAME',
  'OPENAI_TTS_MODEL', 'OPENAI_TTS_VOICES',
  'VOICE_WEBHOOKS_PER_USER', 'VOICE_NOTIFICATION_RETENTION_DAYS', 'VOICE_WEBHOOKS_ALLOW_LOOPBACK',
  'VOICE_ORPHAN_GRACE_MINUTES',
  // Read by the HTTP stack for POST /api/webhooks/{source} (VOICE_WEBHOOK_SECRETS_VARIABLE), not by loadVoiceSettings.
  'VOICE_WEBHOOK_SECRETS',
] as const;

/** The provider callbacks' Standard Webhooks secrets: `whsec_<base64>`, several during a rotation. */
export const VOICE_WEBHOOK_SECRETS_VARIABLE = 'VOICE_WEBHOOK_SECRETS';

/** The queue names when a deployment does not rename them (the generated serverless.yml uses these). */
export const VOICE_DEFAULT_QUEUES: VoiceQueues = {
  enrollment: 'voice-enrollment', synthesisShort: 'voice-synthesis-short', synthesisLong: 'voice-synthesis-long', webhooks: 'voice-webhooks',
};

// Azure Storage queue names (SQS accepts them too); blob container names.
const QUEUE_NAME = /^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/;
const CONTAINER_NAME = /^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/;
const DAY = 86_400;

function named(env: Env, variable: string, fallback: string, pattern: RegExp, rule: string): string {
  const value = text(env, variable) ?? fallback;
  if (!pattern.test(value)) throw new ConfigError(variable, `must be ${rule}, got "${value}"`);
  return value;
}

const container = (env: Env, variable: string, fallback: string) => named(env, variable, fallback, CONTAINER_NAME, 'a container name (3-63 lower-case letters, digits and single hyphens)');
const queue = (env: Env, variable: string, fallback: string) => named(env, variable, fallback, QUEUE_NAME, 'a queue name (3-63 lower-case letters, digits and single hyphens)');

export function loadVoiceQueues(env: Env): VoiceQueues {
  const queues = {
    enrollment: queue(env, 'VOICE_ENROLLMENT_QUEUE_NAME', VOICE_DEFAULT_QUEUES.enrollment),
    synthesisShort: queue(env, 'VOICE_SYNTHESIS_SHORT_QUEUE_NAME', VOICE_DEFAULT_QUEUES.synthesisShort),
    synthesisLong: queue(env, 'VOICE_SYNTHESIS_LONG_QUEUE_NAME', VOICE_DEFAULT_QUEUES.synthesisLong),
    webhooks: queue(env, 'VOICE_WEBHOOK_QUEUE_NAME', VOICE_DEFAULT_QUEUES.webhooks),
  };
  if (queues.synthesisShort === queues.synthesisLong) throw new ConfigError('VOICE_SYNTHESIS_LONG_QUEUE_NAME', 'must differ from VOICE_SYNTHESIS_SHORT_QUEUE_NAME (long texts must not hold up short ones)');
  // A slow receiver must not hold up the voice work, nor the voice work the notifications.
  if ([queues.enrollment, queues.synthesisShort, queues.synthesisLong].includes(queues.webhooks)) throw new ConfigError('VOICE_WEBHOOK_QUEUE_NAME', `must differ from the enrollment and synthesis queues, got "${queues.webhooks}"`);
  return queues;
}

export function loadVoiceSettings(env: Env): VoiceSettings {
  const containers = {
    samples: container(env, 'VOICE_SAMPLES_CONTAINER', 'voice-samples'),
    archive: container(env, 'VOICE_ARCHIVE_CONTAINER', 'voice-archive'),
    synthesis: container(env, 'VOICE_SYNTHESIS_CONTAINER', 'voice-synthesis'),
  };
  const names = [UPLOADS_CONTAINER, containers.samples, containers.archive, containers.synthesis];
  if (new Set(names).size !== names.length) throw new ConfigError('VOICE_ARCHIVE_CONTAINER', `the voice containers must all differ (and differ from ${UPLOADS_CONTAINER}), got ${names.join(', ')}`);
  const minSeconds = integer(env, 'VOICE_SAMPLE_MIN_SECONDS', 3, 1, 600);
  const maxSeconds = integer(env, 'VOICE_SAMPLE_MAX_SECONDS', 120, 1, 600);
  if (maxSeconds < minSeconds) throw new ConfigError('VOICE_SAMPLE_MAX_SECONDS', `must be at least VOICE_SAMPLE_MIN_SECONDS (${minSeconds}), got ${maxSeconds}`);
  const providerSettings = loadVoiceProviderSettings(env);
  // OpenAI speaks at most OPENAI_SPEECH_MAX_CHARS a call: with it the default is lower, and more
  // is refused here rather than by every long synthesis failing.
  const textCap = providerSettings.provider === 'openai' ? OPENAI_SPEECH_MAX_CHARS : 100_000;
  const maxChars = integer(env, 'VOICE_TEXT_MAX_CHARS', Math.min(5000, textCap), 1, textCap);
  const shortMaxChars = integer(env, 'VOICE_SHORT_TEXT_MAX_CHARS', 500, 1, 100_000);
  if (shortMaxChars > maxChars) throw new ConfigError('VOICE_SHORT_TEXT_MAX_CHARS', `must be at most VOICE_TEXT_MAX_CHARS (${maxChars}), got ${shortMaxChars}`);
  return {
    provider: providerSettings.provider,
    containers,
    queues: loadVoiceQueues(env),
    samples: {
      minSeconds,
      maxSeconds,
      maxBytes: integer(env, 'VOICE_UPLOAD_MAX_BYTES', 50 * 1024 * 1024, 1024, 500 * 1024 * 1024),
      minSampleRate: integer(env, 'VOICE_SAMPLE_MIN_RATE', 16_000, 8000, 192_000),
      maxChannels: integer(env, 'VOICE_SAMPLE_MAX_CHANNELS', 2, 1, 8),
    },
    text: { maxChars, shortMaxChars, batchMaxItems: integer(env, 'VOICE_BATCH_MAX_ITEMS', 20, 1, 500) },
    enrollmentMaxSamples: integer(env, 'VOICE_ENROLLMENT_MAX_SAMPLES', 20, 1, 100),
    uploadUrlTtlSeconds: integer(env, 'VOICE_UPLOAD_URL_TTL_SECONDS', 900, 60, 3600),
    audioUrlTtlSeconds: integer(env, 'VOICE_AUDIO_URL_TTL_SECONDS', 3600, 60, 7 * DAY),
    retention: {
      rejectedSeconds: integer(env, 'VOICE_REJECTED_RETENTION_DAYS', 7, 1, 365) * DAY,
      synthesisSeconds: integer(env, 'VOICE_SYNTHESIS_RETENTION_DAYS', 30, 1, 3650) * DAY,
      unusedSampleSeconds: integer(env, 'VOICE_UNUSED_SAMPLE_RETENTION_DAYS', 30, 1, 3650) * DAY,
      notificationSeconds: integer(env, 'VOICE_NOTIFICATION_RETENTION_DAYS', 7, 1, 365) * DAY,
    },
    webhooksPerUser: integer(env, 'VOICE_WEBHOOKS_PER_USER', 10, 1, 100),
    webhooksAllowLoopback: boolean(env, 'VOICE_WEBHOOKS_ALLOW_LOOPBACK', false),
    orphanGraceSeconds: integer(env, 'VOICE_ORPHAN_GRACE_MINUTES', 60, 5, 7 * 24 * 60) * 60,
    trainingTimeoutSeconds: integer(env, 'VOICE_TRAINING_TIMEOUT_MINUTES', 60, 1, 7 * 24 * 60) * 60,
    providerSettings,
  };
}

const AZURE_REGION = /^[a-z0-9]+$/;
/** Azure voice names (`DragonLatestNeural`), OpenAI model names (`gpt-4o-mini-tts`), OpenAI voices (`alloy`). */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
const LOCALE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

function matching(env: Env, variable: string, fallback: string, pattern: RegExp, rule: string): string {
  const value = text(env, variable) ?? fallback;
  if (!pattern.test(value)) throw new ConfigError(variable, `must be ${rule}, got "${value}"`);
  return value;
}

/** A secret or name the chosen provider cannot work without; the message never repeats a value. */
function required(env: Env, variable: string, provider: VoiceProviderName): string {
  const value = text(env, variable);
  if (value === undefined) throw new ConfigError(variable, `must be set when VOICE_PROVIDER is ${provider}`);
  return value;
}

/** The provider's own settings; only the chosen provider's variables are read. */
export function loadVoiceProviderSettings(env: Env): VoiceProviderSettings {
  const provider = choice(env, 'VOICE_PROVIDER', PROVIDERS, 'offline');
  const timeoutMs = integer(env, 'VOICE_PROVIDER_TIMEOUT_MS', 60_000, 1000, 600_000);
  if (provider === 'azure-speech') {
    const subscriptionKey = required(env, 'AZURE_SPEECH_KEY', provider);
    // One base URL for both APIs overrides the regional hosts (a local fake in tests, a proxy).
    const endpoint = serviceUrl(env, 'AZURE_SPEECH_ENDPOINT')?.href.replace(/\/+$/, '');
    const region = endpoint === undefined ? required(env, 'AZURE_SPEECH_REGION', provider) : text(env, 'AZURE_SPEECH_REGION');
    if (region !== undefined && !AZURE_REGION.test(region)) throw new ConfigError('AZURE_SPEECH_REGION', `must be an Azure region name (lower-case letters and digits, e.g. westeurope), got "${region}"`);
    return {
      provider,
      subscriptionKey,
      ttsEndpoint: endpoint ?? `https://${region}.tts.speech.microsoft.com`,
      apiEndpoint: endpoint ?? `https://${region}.api.cognitive.microsoft.com`,
      baseModel: matching(env, 'AZURE_SPEECH_BASE_MODEL', 'DragonLatestNeural', /^[A-Za-z0-9]+$/, 'an Azure voice name (letters and digits)'),
      locale: matching(env, 'AZURE_SPEECH_LOCALE', 'en-US', LOCALE, 'a BCP-47 locale such as en-US'),
      companyName: required(env, 'AZURE_SPEECH_COMPANY_NAME', provider),
      timeoutMs,
    };
  }
  if (provider === 'openai') {
    const apiKey = required(env, 'OPENAI_API_KEY', provider);
    const voices = list(env, 'OPENAI_TTS_VOICES');
    const bad = voices.find((voice) => !NAME.test(voice));
    if (bad !== undefined) throw new ConfigError('OPENAI_TTS_VOICES', `must be a comma-separated list of OpenAI voice names, got "${bad}"`);
    return {
      provider,
      apiKey,
      baseURL: httpUrl(env, 'OPENAI_BASE_URL'),
      model: matching(env, 'OPENAI_TTS_MODEL', 'gpt-4o-mini-tts', NAME, 'an OpenAI model name'),
      voices: voices.length > 0 ? voices : ['alloy'],
      timeoutMs,
    };
  }
  return { provider, offlineTrainingTicks: integer(env, 'VOICE_OFFLINE_TRAINING_TICKS', 2, 1, 1000) };
}

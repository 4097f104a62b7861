/**
 * The voice service's settings (deps.settings), read at bind time and by start-up's check, so a
 * bad value stops the start naming the variable. Pure functions of `env`: the jobs' `configure`
 * reads the queue names from here when the app resolves its jobs, never at import.
 */
import { choice, ConfigError, integer, text, type Env } from '../../kernel/env.ts';

/** Where uploads land: fixed, because the blob trigger's path (`voice-uploads/{name}`) is part of the function table. */
export const UPLOADS_CONTAINER = 'voice-uploads';

export type VoiceProviderName = 'offline';

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
  retention: { rejectedSeconds: number; synthesisSeconds: number; unusedSampleSeconds: number };
  /**
   * The cleanup timer leaves a blob no document names alone until it is this old (an upload or a
   * job may be writing it right now), and gives an upload this long past its URL's expiry.
   */
  orphanGraceSeconds: number;
  /** A voice still training after this long is failed by the monitor. */
  trainingTimeoutSeconds: number;
  /** The offline provider's training completes after this many status polls (monitor ticks). */
  offlineTrainingTicks: number;
}

export const VOICE_VARIABLES = [
  'VOICE_PROVIDER', 'VOICE_SAMPLES_CONTAINER', 'VOICE_ARCHIVE_CONTAINER', 'VOICE_SYNTHESIS_CONTAINER',
  'VOICE_ENROLLMENT_QUEUE_NAME', 'VOICE_SYNTHESIS_SHORT_QUEUE_NAME', 'VOICE_SYNTHESIS_LONG_QUEUE_NAME',
  'VOICE_SAMPLE_MIN_SECONDS', 'VOICE_SAMPLE_MAX_SECONDS', 'VOICE_UPLOAD_MAX_BYTES', 'VOICE_SAMPLE_MIN_RATE', 'VOICE_SAMPLE_MAX_CHANNELS',
  'VOICE_TEXT_MAX_CHARS', 'VOICE_SHORT_TEXT_MAX_CHARS', 'VOICE_BATCH_MAX_ITEMS', 'VOICE_ENROLLMENT_MAX_SAMPLES',
  'VOICE_UPLOAD_URL_TTL_SECONDS', 'VOICE_AUDIO_URL_TTL_SECONDS',
  'VOICE_REJECTED_RETENTION_DAYS', 'VOICE_SYNTHESIS_RETENTION_DAYS', 'VOICE_UNUSED_SAMPLE_RETENTION_DAYS',
  'VOICE_TRAINING_TIMEOUT_MINUTES', 'VOICE_OFFLINE_TRAINING_TICKS', 'VOICE_ORPHAN_GRACE_MINUTES',
  // Read by the HTTP stack for POST /api/webhooks/{source} (VOICE_WEBHOOK_SECRETS_VARIABLE), not by loadVoiceSettings.
  'VOICE_WEBHOOK_SECRETS',
] as const;

/** The provider callbacks' Standard Webhooks secrets: `whsec_<base64>`, several during a rotation. */
export const VOICE_WEBHOOK_SECRETS_VARIABLE = 'VOICE_WEBHOOK_SECRETS';

/** The queue names when a deployment does not rename them (the generated serverless.yml uses these). */
export const VOICE_DEFAULT_QUEUES: VoiceQueues = { enrollment: 'voice-enrollment', synthesisShort: 'voice-synthesis-short', synthesisLong: 'voice-synthesis-long' };

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
  };
  if (queues.synthesisShort === queues.synthesisLong) throw new ConfigError('VOICE_SYNTHESIS_LONG_QUEUE_NAME', 'must differ from VOICE_SYNTHESIS_SHORT_QUEUE_NAME (long texts must not hold up short ones)');
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
  const maxChars = integer(env, 'VOICE_TEXT_MAX_CHARS', 5000, 1, 100_000);
  const shortMaxChars = integer(env, 'VOICE_SHORT_TEXT_MAX_CHARS', 500, 1, 100_000);
  if (shortMaxChars > maxChars) throw new ConfigError('VOICE_SHORT_TEXT_MAX_CHARS', `must be at most VOICE_TEXT_MAX_CHARS (${maxChars}), got ${shortMaxChars}`);
  return {
    provider: choice<VoiceProviderName>(env, 'VOICE_PROVIDER', ['offline'], 'offline'),
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
    },
    orphanGraceSeconds: integer(env, 'VOICE_ORPHAN_GRACE_MINUTES', 60, 5, 7 * 24 * 60) * 60,
    trainingTimeoutSeconds: integer(env, 'VOICE_TRAINING_TIMEOUT_MINUTES', 60, 1, 7 * 24 * 60) * 60,
    offlineTrainingTicks: integer(env, 'VOICE_OFFLINE_TRAINING_TICKS', 2, 1, 1000),
  };
}

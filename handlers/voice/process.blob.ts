/**
 * The blob trigger on `voice-uploads/{name}`: an uploaded sample is checked by its content
 * (container and codec by ffprobe, whatever was declared), its duration, sample rate and channels;
 * a good one is normalised to 16 kHz mono WAV (what training takes) and an MP3 for playback in
 * the samples container; the original moves to the archive container either way, and the sample
 * becomes `ready` or `rejected` with a code and reason.
 *
 * Idempotent: a sample already `ready` or `rejected` is left alone (a trigger fires at least
 * once), and each write is a put of the same name. A failure of the store or of the tools is
 * thrown, so the platform retries the blob (and poisons it after repeated failures); only what
 * is wrong with the file itself rejects the sample.
 */
import type { S3Event } from 'aws-lambda';
import type { BlobStore, Clock, DocumentStore, Stored } from '../../domain/ports.ts';
import { AudioUnreadable, type AudioInfo, type AudioProcessor } from '../../domain/voice/audio.ts';
import type { BlobLambda } from '../../kernel/functions.ts';
import type { Logger } from '../../middleware/logger.ts';
import { UPLOADS_CONTAINER, type VoiceSettings } from './settings.ts';
import { voiceStores, type SampleDoc } from './store.ts';

export interface ProcessUploadDeps {
  documents: DocumentStore;
  blobs: BlobStore;
  clock: Clock;
  logger: Logger;
  audio: AudioProcessor;
  settings: VoiceSettings;
}

/** What the normalised sample is: what every provider's training takes. */
export const NORMALISED = { sampleRate: 16_000, channels: 1 } as const;

interface Rejection {
  code: string;
  reason: string;
}

/** S3 event keys are form-encoded (spaces as `+`), on every runtime (adapters/azure/blob.ts). */
const blobNameOf = (key: string) => decodeURIComponent(key.replace(/\+/g, ' '));

/** The first thing wrong with the audio for a voice sample, or undefined. */
export function checkAudio(info: AudioInfo | undefined, limits: VoiceSettings['samples']): Rejection | undefined {
  if (!info) return { code: 'not_audio', reason: 'The file is not audio we can read (its content is none of WAV, MP3, Ogg, FLAC, MP4/M4A or WebM with an audio track).' };
  if (info.hasVideo) return { code: 'has_video', reason: 'The file carries video; upload the audio only.' };
  const seconds = Math.round(info.durationSeconds * 10) / 10;
  if (info.durationSeconds < limits.minSeconds) return { code: 'too_short', reason: `The recording lasts ${seconds} s; a sample needs at least ${limits.minSeconds} s.` };
  if (info.durationSeconds > limits.maxSeconds) return { code: 'too_long', reason: `The recording lasts ${seconds} s; a sample is at most ${limits.maxSeconds} s.` };
  if (info.sampleRate < limits.minSampleRate) return { code: 'low_sample_rate', reason: `The recording is sampled at ${info.sampleRate} Hz; a sample needs at least ${limits.minSampleRate} Hz.` };
  if (info.channels > limits.maxChannels) return { code: 'too_many_channels', reason: `The recording has ${info.channels} channels; a sample has at most ${limits.maxChannels}.` };
  return undefined;
}

export const processUpload = (deps: ProcessUploadDeps): BlobLambda => {
  const { samples } = voiceStores(deps.documents);
  const { containers } = deps.settings;

  async function finish(sample: Stored<SampleDoc>, blobName: string, original: { bytes: Uint8Array; contentType: string }, change: Partial<SampleDoc>): Promise<void> {
    // The original is kept in the archive, and the uploads container holds only what is not yet processed.
    await deps.blobs.put(containers.archive, blobName, original.bytes, original.contentType);
    const now = deps.clock.now();
    await samples.upsert({ ...sample, ...change, updatedAt: now.toISOString() });
    await deps.blobs.delete(UPLOADS_CONTAINER, blobName);
  }

  async function process(blobName: string, size: number): Promise<void> {
    const log = deps.logger.child({ function: 'voice-process-upload', blob: blobName });
    const slash = blobName.indexOf('/');
    const sampleId = blobName.slice(slash + 1);
    const sample = slash > 0 ? await samples.get(sampleId, sampleId) : undefined;
    if (!sample || sample.blobName !== blobName) {
      // No sample asked for this blob (or it expired): nothing may keep it.
      log.warn('an upload no sample is waiting for; deleting it');
      await deps.blobs.delete(UPLOADS_CONTAINER, blobName);
      return;
    }
    if (sample.status === 'ready' || sample.status === 'rejected') {
      // A second firing, or a PUT again with the same URL: the sample is settled, the blob is not needed.
      log.info({ sampleId, status: sample.status }, 'sample already processed');
      await deps.blobs.delete(UPLOADS_CONTAINER, blobName);
      return;
    }
    const blob = await deps.blobs.get(UPLOADS_CONTAINER, blobName);
    if (!blob) return log.info({ sampleId }, 'the upload is gone (processed meanwhile)');
    await samples.upsert({ ...sample, status: 'processing', updatedAt: deps.clock.now().toISOString() });
    const reject = async (rejection: Rejection, original?: AudioInfo) => {
      log.info({ sampleId, code: rejection.code }, 'sample rejected');
      const expiresAt = deps.clock.now().getTime() + deps.settings.retention.rejectedSeconds * 1000;
      await finish(sample, blobName, blob, { status: 'rejected', rejection, expiresAt, ...(original ? { original: metadataOf(original) } : {}) });
    };
    const { maxBytes } = deps.settings.samples;
    if (Math.max(size, blob.bytes.length) > maxBytes) return reject({ code: 'too_large', reason: `The file is ${blob.bytes.length} bytes; a sample is at most ${maxBytes}.` });

    const info = await deps.audio.inspect(blob.bytes);
    const problem = checkAudio(info, deps.settings.samples);
    if (problem || !info) return reject(problem!, info);
    let wav, playback;
    try {
      wav = await deps.audio.encode(blob.bytes, 'wav', NORMALISED);
      playback = await deps.audio.encode(blob.bytes, 'mp3', { channels: 1 });
    } catch (error) {
      if (error instanceof AudioUnreadable) return reject({ code: 'unreadable', reason: 'The audio could not be decoded; the file may be corrupt or truncated.' }, info);
      throw error;
    }
    const names = { wav: `${blobName}.wav`, playback: `${blobName}.mp3` };
    await deps.blobs.put(containers.samples, names.wav, wav.bytes, wav.contentType);
    await deps.blobs.put(containers.samples, names.playback, playback.bytes, playback.contentType);
    await finish(sample, blobName, blob, { status: 'ready', original: metadataOf(info), normalised: { ...names, durationSeconds: info.durationSeconds } });
    log.info({ sampleId, durationSeconds: info.durationSeconds }, 'sample ready');
  }

  return async (event: S3Event) => {
    for (const record of event.Records) await process(blobNameOf(record.s3.object.key), record.s3.object.size);
  };
};

function metadataOf(info: AudioInfo): SampleDoc['original'] {
  return {
    format: info.container, codec: info.codec, durationSeconds: info.durationSeconds, sampleRate: info.sampleRate, channels: info.channels,
    ...(info.bitRate ? { bitRate: info.bitRate } : {}),
  };
}

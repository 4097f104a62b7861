/**
 * The voice service's documents: samples, voices, syntheses, batches, webhook registrations and
 * notifications. Each is its own
 * partition (`id`), owned by the user who created it (`owner`, the user id): a route reads an
 * item through `ownedBy`, so another user's item is 404, as if it did not exist. Blobs are named
 * `<encoded user id>/<id>` so one user's blobs are one prefix (erasure).
 */
import { notFound } from '../../domain/errors.ts';
import type { ContainerSpec, Document, DocumentRepository, DocumentStore, Stored } from '../../domain/ports.ts';
import type { SynthesisFormat } from '../../domain/voice/provider.ts';
import type { Viewer } from './roles.ts';

export const samplesContainer: ContainerSpec = { name: 'voice-samples', partitionKey: 'id' };
export const voicesContainer: ContainerSpec = { name: 'voices', partitionKey: 'id' };
export const synthesesContainer: ContainerSpec = { name: 'voice-syntheses', partitionKey: 'id' };
export const batchesContainer: ContainerSpec = { name: 'voice-batches', partitionKey: 'id' };
export const webhooksContainer: ContainerSpec = { name: 'voice-webhooks', partitionKey: 'id' };
export const notificationsContainer: ContainerSpec = { name: 'voice-notifications', partitionKey: 'id' };
export const voiceContainers: readonly ContainerSpec[] = [samplesContainer, voicesContainer, synthesesContainer, batchesContainer, webhooksContainer, notificationsContainer];
/** The cleanup timer's own state (where its orphan sweep got to in each blob container); no user data. */
export const cleanupContainer: ContainerSpec = { name: 'voice-cleanup', partitionKey: 'id' };

interface Owned extends Document {
  id: string;
  /** The user id of the creator: only that user reads it. */
  owner: string;
  createdAt: string;
  updatedAt: string;
}

/** `awaiting_upload` until the blob arrives; `processing` while the blob trigger works on it. */
export type SampleStatus = 'awaiting_upload' | 'processing' | 'ready' | 'rejected';

export interface AudioMetadata {
  format: string;
  codec: string;
  durationSeconds: number;
  sampleRate: number;
  channels: number;
  bitRate?: number;
}

export interface SampleDoc extends Owned {
  status: SampleStatus;
  /** The declared content type and size of the upload. */
  contentType: string;
  size: number;
  /** In the uploads container, then the archive container. */
  blobName: string;
  /** The original's metadata, by ffprobe. */
  original?: AudioMetadata;
  /** The normalised sample (16 kHz mono WAV) and its playback copy, in the samples container. */
  normalised?: { wav: string; playback: string; durationSeconds: number };
  rejection?: { code: string; reason: string };
  /** The voice it was enrolled in, once used. */
  voiceId?: string;
}

export type VoiceStatus = 'queued' | 'training' | 'ready' | 'failed' | 'deleting';

export interface VoiceDoc extends Owned {
  displayName: string;
  status: VoiceStatus;
  sampleIds: string[];
  consent: { statement: string; acceptedAt: string; recordingSampleId?: string };
  provider: string;
  providerVoiceId?: string;
  trainingStartedAt?: string;
  failure?: { code: string; reason: string };
  readyAt?: string;
}

export type SynthesisStatus = 'queued' | 'running' | 'succeeded' | 'failed';

/** Every sample a voice holds: its training samples and the consent recording, if any. */
export const enrolledSampleIds = (voice: Pick<VoiceDoc, 'sampleIds' | 'consent'>): string[] =>
  voice.consent.recordingSampleId === undefined ? voice.sampleIds : [...voice.sampleIds, voice.consent.recordingSampleId];

export interface SynthesisDoc extends Owned {
  voiceId: string;
  text: string;
  format: SynthesisFormat;
  speed?: number;
  status: SynthesisStatus;
  queue: 'short' | 'long';
  batchId?: string;
  /** When the owner wants to hear that the audio is ready (`notify_at`); absent: at once. */
  notifyAt?: string;
  audio?: { blobName: string; contentType: string; durationSeconds: number; bytes: number };
  failure?: { code: string; reason: string };
}

export interface BatchDoc extends Owned {
  synthesisIds: string[];
}

/** The events a webhook may subscribe to (events.ts records them, the notifications timer delivers them). */
export const VOICE_EVENTS = ['voice.ready', 'voice.failed', 'synthesis.succeeded', 'synthesis.failed', 'batch.completed'] as const;
export type VoiceEvent = (typeof VOICE_EVENTS)[number];

/** A user's webhook registration: where their events go, and the secret they are signed with. */
export interface WebhookDoc extends Owned {
  url: string;
  events: VoiceEvent[];
  /** `whsec_<base64>`: shown once, at registration; kept to sign each delivery. */
  secret: string;
}

/**
 * One event for one user, delivered by the notifications timer once `dueAt` has passed. `pending`
 * until the timer has enqueued a delivery to each subscribed registration, then `sent` (kept for
 * VOICE_NOTIFICATION_RETENTION_DAYS). A claim by the timer moves `dueAt` a lease ahead, so a
 * notification whose host died mid-way is taken again after the lease.
 */
export interface NotificationDoc extends Owned {
  event: VoiceEvent;
  data: Record<string, unknown>;
  /** ISO time: when the timer should next take it. */
  dueAt: string;
  status: 'pending' | 'sent';
  claimedAt?: string;
  sentAt?: string;
  /** Registrations a delivery job was enqueued for. */
  deliveries?: number;
}

/**
 * The item, or 404 when it is missing and when it is another user's (never telling which). A
 * viewer with Voice.Admin reads anyone's; a plain user id (what a write names) only its own.
 */
export async function readOwned<T extends Owned>(repository: DocumentRepository<T>, id: string, reader: string | Viewer, what: string): Promise<Stored<T>> {
  const viewer = typeof reader === 'string' ? { userId: reader, admin: false } : reader;
  const doc = id ? await repository.get(id, id) : undefined;
  if (!doc || (doc.owner !== viewer.userId && !viewer.admin)) throw notFound(`No ${what} ${id} is yours.`);
  return doc;
}

/** A user's webhook registrations, oldest first: few (VOICE_WEBHOOKS_PER_USER), so one page of `max` holds them all. */
export async function webhooksOf(webhooks: DocumentRepository<WebhookDoc>, owner: string, max: number): Promise<Stored<WebhookDoc>[]> {
  const page = await webhooks.query({ filters: [{ field: 'owner', op: '=', value: owner }], orderBy: { field: 'createdAt', direction: 'asc' }, limit: max });
  return page.items;
}

export interface VoiceStores {
  samples: DocumentRepository<SampleDoc>;
  voices: DocumentRepository<VoiceDoc>;
  syntheses: DocumentRepository<SynthesisDoc>;
  batches: DocumentRepository<BatchDoc>;
  webhooks: DocumentRepository<WebhookDoc>;
  notifications: DocumentRepository<NotificationDoc>;
}

export function voiceStores(documents: DocumentStore): VoiceStores {
  return {
    samples: documents.repository<SampleDoc>(samplesContainer),
    voices: documents.repository<VoiceDoc>(voicesContainer),
    syntheses: documents.repository<SynthesisDoc>(synthesesContainer),
    batches: documents.repository<BatchDoc>(batchesContainer),
    webhooks: documents.repository<WebhookDoc>(webhooksContainer),
    notifications: documents.repository<NotificationDoc>(notificationsContainer),
  };
}

/** A user's blob prefix: the user id encoded, so any id is one path segment. */
export const userPrefix = (userId: string) => `${encodeURIComponent(userId)}/`;

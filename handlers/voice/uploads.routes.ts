/**
 * POST /api/voice/uploads and GET /api/voice/samples/{id}. An upload is a sample document
 * (`awaiting_upload`) and a write-only URL for its blob, `<encoded user id>/<sample id>` in
 * `voice-uploads/`; the blob trigger (process.blob.ts) does the rest.
 */
import { AppError } from '../../domain/errors.ts';
import type { BlobStore, Clock, DocumentStore, IdSource, Stored } from '../../domain/ports.ts';
import { json, type PorticoHttpHandler } from '../../middleware/http-stack.ts';
import { ownerOf, pathId } from '../../middleware/resources.ts';
import { UPLOADS_CONTAINER, type VoiceSettings } from './settings.ts';
import { viewerOf } from './roles.ts';
import { readOwned, userPrefix, voiceStores, type SampleDoc } from './store.ts';

export interface UploadRoutesDeps {
  documents: DocumentStore;
  blobs: BlobStore;
  clock: Clock;
  ids: IdSource;
  settings: VoiceSettings;
}

export interface UploadBody {
  content_type: string;
  size: number;
}

export const uploadBlobName = (owner: string, sampleId: string) => `${userPrefix(owner)}${sampleId}`;

export function sampleView(doc: Stored<SampleDoc>) {
  const { original } = doc;
  return {
    sample_id: doc.id,
    status: doc.status,
    ...(original
      ? { original: { format: original.format, codec: original.codec, duration_seconds: original.durationSeconds, sample_rate: original.sampleRate, channels: original.channels, ...(original.bitRate ? { bit_rate: original.bitRate } : {}) } }
      : {}),
    ...(doc.normalised ? { duration_seconds: doc.normalised.durationSeconds } : {}),
    ...(doc.rejection ? { rejection: doc.rejection } : {}),
    ...(doc.voiceId ? { voice_id: doc.voiceId } : {}),
    created_at: doc.createdAt,
    updated_at: doc.updatedAt,
  };
}

export const createUpload = (deps: UploadRoutesDeps): PorticoHttpHandler<UploadBody> => {
  const { samples } = voiceStores(deps.documents);
  return async (event, context) => {
    const owner = ownerOf(context);
    const { content_type: contentType, size } = event.json;
    const { maxBytes } = deps.settings.samples;
    if (size > maxBytes) throw new AppError(413, 'upload_too_large', `A sample is at most ${maxBytes} bytes; this one would be ${size}.`);
    const id = deps.ids.next();
    const blobName = uploadBlobName(owner, id);
    const now = deps.clock.now();
    const upload = await deps.blobs.writeUrl(UPLOADS_CONTAINER, blobName, deps.settings.uploadUrlTtlSeconds, contentType);
    await samples.create({
      id, owner, status: 'awaiting_upload', contentType, size, blobName,
      createdAt: now.toISOString(), updatedAt: now.toISOString(),
      // A sample never enrolled goes with its retention; enrollment clears this.
      expiresAt: now.getTime() + deps.settings.retention.unusedSampleSeconds * 1000,
    });
    return json(
      201,
      { sample_id: id, upload_url: upload.url, upload_headers: upload.headers, blob_name: blobName, expires_at: upload.expiresAt.toISOString() },
      { location: `/api/voice/samples/${encodeURIComponent(id)}` },
    );
  };
};

export const getSample = (deps: Pick<UploadRoutesDeps, 'documents'>): PorticoHttpHandler => {
  const { samples } = voiceStores(deps.documents);
  return async (event, context) => json(200, sampleView(await readOwned(samples, pathId(event), viewerOf(context), 'sample')));
};

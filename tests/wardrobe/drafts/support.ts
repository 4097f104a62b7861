/**
 * The upload and draft routes, the processing job and the stuck timer on the real job worker:
 * memory documents and queue (or Azurite blobs), real sharp, a model given by the test (the
 * offline answer by default). Each route factory is wrapped in the real httpHandler stack of its
 * definition, as `bind` does; the job's real `createRun` is given inline.
 */
import { randomUUID } from 'node:crypto';
import type { ScheduledEvent } from 'aws-lambda';
import { SharpImages } from '../../../adapters/images/sharp-images.ts';
import type { LanguageModel } from '../../../domain/ai.ts';
import type { JobSettings } from '../../../domain/jobs.ts';
import type { BlobStore, DocumentStore } from '../../../domain/ports.ts';
import type { StoredClothingItem } from '../../../domain/wardrobe/clothing-item.ts';
import type { BackgroundRemover } from '../../../domain/wardrobe/media.ts';
import { createRun } from '../../../handlers/wardrobe/drafts/draft.job.ts';
import * as routes from '../../../handlers/wardrobe/drafts/drafts.routes.ts';
import * as defs from '../../../handlers/wardrobe/drafts/functions.ts';
import { draftJob } from '../../../handlers/wardrobe/drafts/jobs.ts';
import { loadDraftSettings } from '../../../handlers/wardrobe/drafts/settings.ts';
import { stuckDrafts } from '../../../handlers/wardrobe/drafts/stuck.timer.ts';
import { draftsOf } from '../../../handlers/wardrobe/drafts/store.ts';
import { loadMediaSettings, type MediaSettings } from '../../../handlers/wardrobe/media/settings.ts';
import type { FunctionDef, HttpLambda, TimerTrigger } from '../../../kernel/functions.ts';
import type { JobSpec } from '../../../kernel/jobs.ts';
import { httpHandler } from '../../../middleware/http-stack.ts';
import { context, fastSettings, memoryRuntime, pump } from '../../support/jobs.ts';
import { httpEvent, lambdaContext, testPlatform, type EventInit } from '../../support/platform.ts';
import { asUser, fakeModel, testAuthenticator } from '../media/support.ts';

export { asUser, fakeModel };
export { jpeg, png, cutout } from '../media/support.ts';

export interface Reply {
  statusCode: number;
  headers: Record<string, string>;
  json: Record<string, unknown> | undefined;
}

async function call(handler: HttpLambda, init: EventInit & { pathParameters?: Record<string, string> }): Promise<Reply> {
  const { pathParameters, ...rest } = init;
  const result = await handler({ ...httpEvent(rest), ...(pathParameters ? { pathParameters } : {}) }, lambdaContext());
  const body = result.body ?? '';
  return {
    statusCode: result.statusCode ?? 0,
    headers: Object.fromEntries(Object.entries(result.headers ?? {}).map(([key, value]) => [key, String(value)])),
    json: body ? (JSON.parse(body) as Record<string, unknown>) : undefined,
  };
}

/** A multipart/form-data body with these parts, in this order. */
export function multipart(parts: ({ name: string; value: string } | { name: string; fileName: string; contentType: string; bytes: Uint8Array })[]) {
  const boundary = `----portico${randomUUID().replace(/-/g, '')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const head = 'value' in part
      ? `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n`
      : `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.fileName}"\r\nContent-Type: ${part.contentType}\r\n\r\n`;
    chunks.push(Buffer.from(head), 'value' in part ? Buffer.from(part.value) : Buffer.from(part.bytes), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat(chunks) };
}

/** Segmentation settings for tests that give a BackgroundRemover: only their presence matters. */
const SEGMENTATION_SETTINGS = { endpoint: new URL('https://segmentation.test/remove'), token: 'test-token', timeoutMs: 1000 };

export interface HarnessOptions {
  /** Where the drafts (and the timer's slot claims) live; the job runtime's own records stay in memory. */
  documents?: DocumentStore;
  blobs?: BlobStore;
  model?: LanguageModel;
  segmentation?: BackgroundRemover;
  media?: Partial<MediaSettings>;
  jobSettings?: JobSettings;
}

export function draftsHarness(options: HarnessOptions = {}) {
  let bound: ReturnType<typeof createRun> | undefined;
  const spec: JobSpec = { ...(draftJob as JobSpec), handler: undefined, run: (payload, ctx) => (bound ??= createRun(deps))(payload as never, ctx) };
  const runtime = memoryRuntime([spec], options.jobSettings ?? fastSettings);
  const media: MediaSettings = { ...loadMediaSettings({}), ...(options.segmentation ? { segmentation: SEGMENTATION_SETTINGS } : {}), ...options.media };
  const platform = testPlatform({ authenticate: testAuthenticator });
  const deps = {
    documents: options.documents ?? runtime.deps.documents,
    blobs: options.blobs ?? runtime.deps.blobs,
    clock: runtime.clock,
    ids: { next: () => randomUUID() },
    jobs: runtime.runtime.client,
    logger: runtime.deps.logger,
    model: options.model ?? fakeModel(),
    images: (imageOptions: { maxInputPixels: number }) => new SharpImages(imageOptions),
    segmentation: (): BackgroundRemover => {
      if (!options.segmentation) throw new Error('The job asked for background removal, but the settings do not configure it.');
      return options.segmentation;
    },
    settings: { media, drafts: loadDraftSettings({}) },
  };
  const http = {
    upload: httpHandler(defs.uploadDraft, routes.upload(deps), platform),
    list: httpHandler(defs.listDrafts, routes.listDrafts(deps), platform),
    accept: httpHandler(defs.acceptDraft, routes.acceptDraft(deps), platform),
    retry: httpHandler(defs.retryDraft, routes.retryDraft(deps), platform),
  };
  const timer = stuckDrafts(deps, defs.stuckDrafts as FunctionDef<TimerTrigger>);

  const uploadForm = (user: string, form: ReturnType<typeof multipart>) =>
    call(http.upload, { method: 'POST', path: '/api/wardrobe/upload', headers: { ...asUser(user), 'content-type': form.contentType }, body: form.body.toString('base64'), isBase64Encoded: true });
  const uploadRaw = (user: string, bytes: Uint8Array, contentType: string, query?: string) =>
    call(http.upload, { method: 'POST', path: '/api/wardrobe/upload', headers: { ...asUser(user), 'content-type': contentType }, body: Buffer.from(bytes).toString('base64'), isBase64Encoded: true, ...(query ? { query } : {}) });
  /** The iPhone app's upload: text parts first, then the file as `file`. */
  const uploadImage = (user: string, bytes: Uint8Array, flags: Record<string, string> = {}) =>
    uploadForm(user, multipart([...Object.entries(flags).map(([name, value]) => ({ name, value })), { name: 'file', fileName: 'image.jpg', contentType: 'image/jpeg', bytes }]));
  const list = (user: string, query?: string) => call(http.list, { method: 'GET', path: '/api/wardrobe/drafts', headers: asUser(user), ...(query ? { query } : {}) });
  const accept = (user: string, id: string) => call(http.accept, { method: 'PATCH', path: `/api/wardrobe/drafts/${id}/accept`, headers: asUser(user), pathParameters: { id } });
  const retry = (user: string, id: string) => call(http.retry, { method: 'POST', path: `/api/wardrobe/drafts/${id}/retry`, headers: { ...asUser(user), 'content-type': 'application/json' }, body: '{}', pathParameters: { id } });
  /** Runs every visible job message through the real worker. */
  const drain = () => pump(runtime.deps.queue, draftJob.queue, (event) => runtime.runtime.worker(event, context()));
  /** Fires the stuck-drafts timer for the current slot. */
  const fireTimer = () => timer({ time: runtime.clock.now().toISOString(), detail: {} } as unknown as ScheduledEvent, lambdaContext('wardrobe-drafts-stuck'));
  const stored = async (user: string, id: string) => (await draftsOf(deps.documents).get(id, user)) as (StoredClothingItem & { etag: string }) | undefined;

  return { ...runtime, deps, media, uploadForm, uploadRaw, uploadImage, list, accept, retry, drain, fireTimer, stored };
}

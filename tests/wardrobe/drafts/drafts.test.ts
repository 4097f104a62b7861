/**
 * Uploads and drafts end to end on memory ports with real sharp and the real job worker: the
 * two clients' multipart shapes and the raw body, the refusals (no file, HEIC, not an image),
 * the job turning drafts Ready or Failed, retry, accept, the stuck timer, paging and ownership.
 */
import { describe, expect, it } from '@jest/globals';
import sharp from 'sharp';
import { AppError } from '../../../domain/errors.ts';
import { DRAFT_ERRORS } from '../../../handlers/wardrobe/drafts/service.ts';
import { draftJob } from '../../../handlers/wardrobe/drafts/jobs.ts';
import { cutout, draftsHarness, fakeModel, jpeg, multipart, png } from './support.ts';

const RED = { r: 200, g: 30, b: 40 };
const ISO_SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

/** The first bytes of an iPhone photo: an ISO-BMFF `ftyp` box of brand heic, then a little more. */
function heicBytes(): Uint8Array {
  const ftyp = Buffer.alloc(24);
  ftyp.writeUInt32BE(24, 0);
  ftyp.write('ftypheic', 4, 'latin1');
  ftyp.writeUInt32BE(0, 12);
  ftyp.write('mif1heic', 16, 'latin1');
  return new Uint8Array(Buffer.concat([ftyp, Buffer.alloc(512, 7)]));
}

/** A JPEG signature followed by bytes no decoder can read. */
const corruptJpeg = () => new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0'), Buffer.alloc(300, 0x42)]));

function recordingRemover(garment = RED) {
  const calls: number[] = [];
  return {
    calls,
    async removeBackground(image: { bytes: Uint8Array }) {
      calls.push(image.bytes.byteLength);
      return cutout(64, 128, garment);
    },
  };
}

describe('POST /api/wardrobe/upload', () => {
  it("takes the iPhone app's form (text parts first, the file as `file`) and answers 202 with a Processing draft", async () => {
    const remover = recordingRemover();
    const t = draftsHarness({ segmentation: remover });
    const photo = await jpeg(300, 400, RED);
    const reply = await t.uploadImage('alice', photo, { skip_segmentation: 'TRUE', is_wishlisted: 'True' });

    expect(reply.statusCode).toBe(202);
    const draft = reply.json!;
    expect(draft.id).toMatch(/^upload-[0-9a-f]{32}$/);
    expect(draft).toMatchObject({ userId: 'alice', draftStatus: 'Processing', isWishlisted: true, wearCount: 0, tags: [], colours: [] });
    expect(draft.draftCreatedAt).toMatch(ISO_SECONDS);
    expect(draft.draftUpdatedAt).toBe(draft.draftCreatedAt);
    expect(draft.imageUrl).toBeUndefined();
    expect(typeof draft.rawImageBlobUrl).toBe('string');
    // Server-internal fields never reach a client.
    expect(draft).not.toHaveProperty('rawImageBlob');
    expect(draft).not.toHaveProperty('draftOptions');
    expect(draft).not.toHaveProperty('etag');

    // The raw bytes are archived exactly as sent, under the user's folder.
    const archived = await t.deps.blobs.get(t.media.archiveContainer, `alice/${draft.id as string}.jpg`);
    expect(Buffer.from(archived!.bytes).equals(photo)).toBe(true);
    expect(await t.drain()).toBe(1);
    // skip_segmentation: the client already cut the garment out.
    expect(remover.calls).toEqual([]);
    expect((await t.stored('alice', draft.id as string))?.draftStatus).toBe('Ready');
  });

  it("takes the web app's form (the file as `image`) and cuts the garment out when segmentation is configured", async () => {
    const remover = recordingRemover();
    const t = draftsHarness({ segmentation: remover });
    const form = multipart([{ name: 'image', fileName: 'IMG_0042.jpg', contentType: 'image/jpeg', bytes: await jpeg(300, 400, { r: 240, g: 240, b: 240 }) }]);
    const reply = await t.uploadForm('alice', form);
    expect(reply.statusCode).toBe(202);
    expect(reply.json).toMatchObject({ draftStatus: 'Processing', isWishlisted: false });
    await t.drain();
    expect(remover.calls).toHaveLength(1);
    // Described from the cut-out: the garment's red, not the light background.
    const ready = await t.stored('alice', reply.json!.id as string);
    expect(ready?.colours[0]?.name).toBe('red');
  });

  it('takes the first part with a filename whatever its name, after a file-less part of another name', async () => {
    const t = draftsHarness();
    const photo = await png(50, 50, RED);
    const form = multipart([
      { name: 'notes', value: 'not the image' },
      { name: 'upload', fileName: 'a.png', contentType: 'application/octet-stream', bytes: photo },
      { name: 'file', fileName: 'b.png', contentType: 'image/png', bytes: await png(10, 10, RED) },
    ]);
    const reply = await t.uploadForm('alice', form);
    expect(reply.statusCode).toBe(202);
    const archived = await t.deps.blobs.get(t.media.archiveContainer, `alice/${reply.json!.id as string}.png`);
    expect(Buffer.from(archived!.bytes).equals(photo)).toBe(true);
  });

  it('takes the raw image bytes, with the flags in the query', async () => {
    const t = draftsHarness();
    const reply = await t.uploadRaw('alice', await png(40, 40, RED), 'image/png', 'is_wishlisted=true');
    expect(reply.statusCode).toBe(202);
    expect(reply.json).toMatchObject({ draftStatus: 'Processing', isWishlisted: true });
    expect(await t.deps.blobs.list(t.media.archiveContainer, 'alice/')).toEqual([`alice/${reply.json!.id as string}.png`]);
  });

  it.each([
    ['a form with text parts only', () => multipart([{ name: 'is_wishlisted', value: 'true' }])],
    ['a form whose file part is empty', () => multipart([{ name: 'file', fileName: 'image.jpg', contentType: 'image/jpeg', bytes: new Uint8Array() }])],
  ])('answers 400 `No image provided.` as problem+json for %s, and stores nothing', async (_name, form) => {
    const t = draftsHarness();
    const reply = await t.uploadForm('alice', form());
    expect(reply.statusCode).toBe(400);
    expect(reply.headers['content-type']).toBe('application/problem+json');
    expect(reply.json).toMatchObject({ code: 'no_image', detail: 'No image provided.' });
    expect(typeof reply.json!.requestId).toBe('string');
    expect(await t.deps.blobs.list(t.media.archiveContainer)).toEqual([]);
    expect(await t.drain()).toBe(0);
  });

  it('answers 400 for a raw upload with no body', async () => {
    const t = draftsHarness();
    const reply = await t.uploadRaw('alice', new Uint8Array(), 'image/jpeg');
    expect([reply.statusCode, reply.json?.detail]).toEqual([400, 'No image provided.']);
  });

  it('refuses HEIC with a clear 415, whatever the part claims: this sharp build has no HEVC codec', async () => {
    // The build's libheif has AVIF only: it cannot even write an HEVC-coded HEIF, nor read one.
    await expect(sharp({ create: { width: 8, height: 8, channels: 3, background: RED } }).heif({ compression: 'hevc' }).toBuffer()).rejects.toThrow(/compression/i);
    await expect(sharp(Buffer.from(heicBytes())).metadata()).rejects.toThrow();

    const t = draftsHarness();
    const asJpeg = await t.uploadForm('alice', multipart([{ name: 'file', fileName: 'IMG_0001.jpg', contentType: 'image/jpeg', bytes: heicBytes() }]));
    expect(asJpeg.statusCode).toBe(415);
    expect(asJpeg.headers['content-type']).toBe('application/problem+json');
    expect(asJpeg.json).toMatchObject({ code: 'heic_not_supported' });
    expect(asJpeg.json!.detail).toMatch(/HEIC.*JPEG/);
    const raw = await t.uploadRaw('alice', heicBytes(), 'image/heic');
    expect([raw.statusCode, raw.json?.code]).toEqual([415, 'heic_not_supported']);
    expect(await t.deps.blobs.list(t.media.archiveContainer)).toEqual([]);
  });

  it('refuses bytes that are no supported image with 415, by their content not their declared type', async () => {
    const t = draftsHarness();
    const reply = await t.uploadForm('alice', multipart([{ name: 'file', fileName: 'image.jpg', contentType: 'image/jpeg', bytes: new TextEncoder().encode('GIF89a is not taken either') }]));
    expect([reply.statusCode, reply.json?.code]).toEqual([415, 'unsupported_media_type']);
    const text = await t.uploadRaw('alice', new TextEncoder().encode('hello'), 'text/plain');
    expect([text.statusCode, text.json?.code]).toEqual([415, 'unsupported_media_type']);
  });
});

describe('the processing job', () => {
  it('makes the draft Ready: a WebP in the images container, metadata from the model, a signed imageUrl', async () => {
    const model = fakeModel(() => ({
      category: 'tops', subcategory: 'Polo', colours: [{ name: 'Red', hex: '#C81E28' }], brand: 'Lacoste', pattern: 'solid', material: 'cotton',
      seasons: ['summer'], formality: 'smart-casual', tags: ['polo', 'Collar'], aestheticTags: ['Preppy'], confidence: 0.9,
    }));
    const t = draftsHarness({ model });
    const id = (await t.uploadImage('alice', await jpeg(3000, 1500, RED))).json!.id as string;
    await t.drain();

    const webp = await t.deps.blobs.get(t.media.imagesContainer, `alice/${id}.webp`);
    expect(await sharp(Buffer.from(webp!.bytes)).metadata()).toMatchObject({ format: 'webp', width: 2048, height: 1024 });
    const [request] = model.requests;
    expect(request?.task).toBe('wardrobe.extract-metadata');
    expect(request?.userId).toBe('alice');

    const { items } = (await t.list('alice')).json as { items: Record<string, unknown>[] };
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      id, draftStatus: 'Ready', category: 'tops', brand: 'Lacoste', tags: ['polo', 'collar'], aestheticTags: ['preppy'],
      colours: [{ name: 'red', hex: '#c81e28' }], isWishlisted: false,
    });
    expect(typeof items[0]!.imageUrl).toBe('string');
    expect(items[0]!.draftUpdatedAt).toMatch(ISO_SECONDS);
    expect(items[0]).not.toHaveProperty('draftError');
  });

  it('fails a corrupt image with a human draftError; retry puts it back in Processing (202), a second retry is 409', async () => {
    const t = draftsHarness();
    const id = (await t.uploadImage('alice', corruptJpeg())).json!.id as string;
    await t.drain();
    const failed = (await t.list('alice')).json!.items as Record<string, unknown>[];
    expect(failed[0]).toMatchObject({ id, draftStatus: 'Failed', draftError: DRAFT_ERRORS.unreadable });
    expect(failed[0]).not.toHaveProperty('imageUrl');

    t.clock.advance(5_000);
    const retried = await t.retry('alice', id);
    expect(retried.statusCode).toBe(202);
    expect(retried.json).toMatchObject({ id, draftStatus: 'Processing' });
    expect(retried.json).not.toHaveProperty('draftError');
    expect(retried.json!.draftUpdatedAt).not.toBe(failed[0]!.draftUpdatedAt);

    const again = await t.retry('alice', id);
    expect(again.statusCode).toBe(409);
    expect(again.headers['content-type']).toBe('application/problem+json');
    expect(again.json).toMatchObject({ code: 'draft_not_failed', detail: 'Only Failed drafts can be retried.' });

    // The retry's job runs (one job, not two) and fails it again: the bytes are still corrupt.
    expect(await t.drain()).toBe(1);
    expect((await t.stored('alice', id))?.draftStatus).toBe('Failed');
  });

  it('retries a failing model with backoff and marks the draft Failed on the last attempt, dead-lettering the job', async () => {
    let calls = 0;
    const model = fakeModel(() => {
      calls += 1;
      throw new AppError(502, 'model_unavailable', 'The model is unavailable.');
    });
    const t = draftsHarness({ model });
    const id = (await t.uploadImage('alice', await png(40, 40, RED))).json!.id as string;
    await t.drain();
    // Attempt 1 failed: still Processing while the runtime retries.
    expect((await t.stored('alice', id))?.draftStatus).toBe('Processing');
    for (let attempt = 2; attempt <= 3; attempt++) {
      t.clock.advance(120_000);
      await t.drain();
    }
    expect(calls).toBe(3);
    expect(await t.stored('alice', id)).toMatchObject({ draftStatus: 'Failed', draftError: DRAFT_ERRORS.failed });
    const letters = await t.runtime.deadLetters.list({ limit: 10 });
    expect(letters.items.map((letter) => [letter.type, letter.reason])).toEqual([[draftJob.type, 'max_attempts']]);
  });

  it('turns a draft Ready when a transient failure clears on a retry', async () => {
    let calls = 0;
    const model = fakeModel((request) => {
      calls += 1;
      if (calls === 1) throw new AppError(503, 'model_rate_limited', 'Slow down.');
      return request.offline();
    });
    const t = draftsHarness({ model });
    const id = (await t.uploadImage('alice', await png(40, 40, RED))).json!.id as string;
    await t.drain();
    t.clock.advance(120_000);
    await t.drain();
    expect(await t.stored('alice', id)).toMatchObject({ draftStatus: 'Ready', imageBlob: `alice/${id}.webp` });
  });
});

describe('accept and retry', () => {
  it('accepts only a Ready draft (409 before), finalising it; accepting again answers the item again', async () => {
    const t = draftsHarness();
    const id = (await t.uploadImage('alice', await png(40, 40, RED), { is_wishlisted: 'true' })).json!.id as string;
    const early = await t.accept('alice', id);
    expect([early.statusCode, early.json?.code, early.headers['content-type']]).toEqual([409, 'draft_not_ready', 'application/problem+json']);

    await t.drain();
    t.clock.advance(60_000);
    const accepted = await t.accept('alice', id);
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json).toMatchObject({ id, userId: 'alice', isWishlisted: true, dateAdded: '2026-11-22T10:01:00Z' });
    for (const field of ['draftStatus', 'draftError', 'draftCreatedAt', 'draftUpdatedAt', 'rawImageBlobUrl', 'draftOptions']) expect(accepted.json).not.toHaveProperty(field);
    expect(typeof accepted.json!.imageUrl).toBe('string');
    expect((await t.list('alice')).json).toEqual({ items: [] });

    const again = await t.accept('alice', id);
    expect(again.statusCode).toBe(200);
    expect({ ...again.json, imageUrl: undefined }).toEqual({ ...accepted.json, imageUrl: undefined });
    // Retry is for Failed drafts only; an item is none.
    expect((await t.retry('alice', id)).statusCode).toBe(409);
  });

  it("answers 404 for another user's draft on accept and retry, and lists only the caller's drafts", async () => {
    const t = draftsHarness();
    const id = (await t.uploadImage('alice', corruptJpeg())).json!.id as string;
    await t.drain();
    expect((await t.accept('bob', id)).statusCode).toBe(404);
    const retry = await t.retry('bob', id);
    expect([retry.statusCode, retry.json?.code]).toEqual([404, 'not_found']);
    expect((await t.list('bob')).json).toEqual({ items: [] });
    expect((await t.stored('alice', id))?.draftStatus).toBe('Failed');
    expect((await t.accept('alice', 'upload-00000000000000000000000000000000')).statusCode).toBe(404);
  });

  it('answers 410 when the raw image of a Failed draft is gone', async () => {
    const t = draftsHarness();
    const id = (await t.uploadImage('alice', corruptJpeg())).json!.id as string;
    await t.drain();
    await t.deps.blobs.delete(t.media.archiveContainer, `alice/${id}.jpg`);
    const reply = await t.retry('alice', id);
    expect([reply.statusCode, reply.json?.code]).toEqual([410, 'raw_image_gone']);
    expect((await t.stored('alice', id))?.draftStatus).toBe('Failed');
  });
});

describe('GET /api/wardrobe/drafts', () => {
  it('pages newest first with continuation tokens bound to this list, and clamps pageSize', async () => {
    const t = draftsHarness();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await t.uploadImage('alice', await png(20, 20, RED), i === 1 ? { is_wishlisted: 'true' } : {})).json!.id as string);
      t.clock.advance(1_000);
    }
    const first = await t.list('alice', 'pageSize=2');
    expect(first.statusCode).toBe(200);
    const page1 = first.json as { items: { id: string }[]; nextContinuationToken?: string };
    expect(page1.items.map((item) => item.id)).toEqual([ids[2], ids[1]]);
    expect(typeof page1.nextContinuationToken).toBe('string');
    const second = (await t.list('alice', `pageSize=2&continuationToken=${encodeURIComponent(page1.nextContinuationToken!)}`)).json!;
    expect((second.items as { id: string }[]).map((item) => item.id)).toEqual([ids[0]]);
    expect(second).not.toHaveProperty('nextContinuationToken');

    expect(((await t.list('alice', 'pageSize=500')).json!.items as unknown[]).length).toBe(3);
    const forged = await t.list('alice', 'continuationToken=bm90LWEtdG9rZW4');
    expect([forged.statusCode, forged.json?.code]).toEqual([400, 'invalid_continuation']);
  });
});

describe('the stuck-drafts timer', () => {
  it('fails drafts Processing longer than the setting (2 h), leaves newer ones, and their late jobs change nothing', async () => {
    const t = draftsHarness();
    const old = (await t.uploadImage('alice', await png(20, 20, RED))).json!.id as string;
    const bobs = (await t.uploadImage('bob', await png(20, 20, RED))).json!.id as string;
    t.clock.advance(60 * 60_000);
    const recent = (await t.uploadImage('alice', await png(20, 20, RED))).json!.id as string;
    t.clock.advance(61 * 60_000);

    await t.fireTimer();
    expect(await t.stored('alice', old)).toMatchObject({ draftStatus: 'Failed', draftError: DRAFT_ERRORS.stuck });
    expect(await t.stored('bob', bobs)).toMatchObject({ draftStatus: 'Failed', draftError: DRAFT_ERRORS.stuck });
    expect((await t.stored('alice', recent))?.draftStatus).toBe('Processing');

    // The jobs arrive late: the failed drafts stay Failed (retry is the user's call), the recent one is processed.
    await t.drain();
    expect((await t.stored('alice', old))?.draftStatus).toBe('Failed');
    expect((await t.stored('alice', recent))?.draftStatus).toBe('Ready');
    expect((await t.retry('alice', old)).statusCode).toBe(202);
    await t.drain();
    expect((await t.stored('alice', old))?.draftStatus).toBe('Ready');
  });
});

/**
 * The voice cleanup timer through the composition root on memory ports, with the controllable
 * clock: it removes only what has expired (items just inside their retention stay, enrolled
 * samples stay, other services' blobs stay), orphaned blobs once past the grace period but never
 * a fresh upload in flight, and one failing delete does not stop the rest.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { MemoryMetrics } from '../../adapters/memory/metrics.ts';
import { CLEANUP_PAGE, VOICE_CLEANUP_METRIC } from '../../handlers/voice/cleanup.timer.ts';
import { samplesContainer, synthesesContainer, type SampleDoc, type SynthesisDoc } from '../../handlers/voice/store.ts';
import { setup } from './support/app.ts';
import { tone } from './support/audio.ts';

let wav: Uint8Array;
beforeAll(async () => {
  wav = await tone({ seconds: 4 });
}, 60_000);

const consent = { statement: 'I am the speaker and I consent to a synthetic copy of my voice.', accepted_at: '2026-11-22T09:00:00Z' };
const MINUTE = 60_000;
const DAY = 86_400_000;

type App = ReturnType<typeof setup>;
const names = (t: App, container: string) => t.ports.blobs.list(container);
const sampleDoc = (t: App, id: string) => t.ports.documents.repository<SampleDoc>(samplesContainer).get(id, id);
const synthesisDoc = (t: App, id: string) => t.ports.documents.repository<SynthesisDoc>(synthesesContainer).get(id, id);

async function readySample(t: App, user: string): Promise<string> {
  const sample = await t.uploadSample(user, wav);
  expect(sample.json).toMatchObject({ status: 'ready' });
  return sample.json!.sample_id as string;
}

describe('voice cleanup: retention', () => {
  it('removes rejected, unused and synthesized audio once their documents expire, and nothing a second earlier', async () => {
    const t = setup();
    // Enrolled (kept with its voice), unused (expires after 30 days), rejected (after 7 days).
    const enrolled = await readySample(t, 'alice');
    const unused = await readySample(t, 'alice');
    const rejected = (await t.uploadSample('alice', new TextEncoder().encode('not audio at all, just text'))).json!.sample_id as string;
    const voice = (await t.request('alice', 'voice-enrollment', { body: { display_name: 'Mine', sample_ids: [enrolled], consent } })).json!.voice_id as string;
    await t.drainEnrollments();
    await t.tick();
    await t.tick();
    const synthesis = (await t.request('alice', 'voice-synthesis', { body: { voice_id: voice, text: 'Hello there.' } })).json!.synthesis_id as string;
    await t.drainSyntheses();
    // Another service's blob, old and named like a voice blob: not the cleanup's to touch.
    await t.ports.blobs.put('wardrobe-images', `alice/${unused}`, Uint8Array.of(1), 'image/png');

    const rejectedExpiry = (await sampleDoc(t, rejected))!.expiresAt!;
    const unusedExpiry = (await sampleDoc(t, unused))!.expiresAt!;
    const synthesisExpiry = (await synthesisDoc(t, synthesis))!.expiresAt!;
    expect((await sampleDoc(t, enrolled))!.expiresAt).toBeUndefined();
    const before = { samples: await names(t, 'voice-samples'), archive: await names(t, 'voice-archive'), synthesis: await names(t, 'voice-synthesis') };
    expect(before.samples).toHaveLength(4);
    expect(before.archive).toHaveLength(3);
    expect(before.synthesis).toEqual([`alice/${synthesis}.mp3`]);

    // A second inside the rejected sample's retention: nothing goes.
    t.clock.set(rejectedExpiry - 1000);
    await t.cleanup();
    expect(await names(t, 'voice-archive')).toEqual(before.archive);
    // Past it: the rejected original goes (its document has expired), nothing else.
    t.clock.set(rejectedExpiry + 1000);
    await t.cleanup();
    expect(await names(t, 'voice-archive')).toEqual(before.archive.filter((name) => !name.endsWith(rejected)));
    expect(await names(t, 'voice-samples')).toEqual(before.samples);

    // A second inside the unused sample's and the synthesis's retention: they stay.
    t.clock.set(Math.min(unusedExpiry, synthesisExpiry) - 1000);
    await t.cleanup();
    expect(await names(t, 'voice-samples')).toEqual(before.samples);
    expect(await names(t, 'voice-synthesis')).toEqual(before.synthesis);

    t.clock.set(Math.max(unusedExpiry, synthesisExpiry) + 1000);
    await t.cleanup();
    expect(await names(t, 'voice-synthesis')).toEqual([]);
    expect(await names(t, 'voice-samples')).toEqual([`alice/${enrolled}.mp3`, `alice/${enrolled}.wav`]);
    expect(await names(t, 'voice-archive')).toEqual([`alice/${enrolled}`]);
    expect(await names(t, 'wardrobe-images')).toEqual([`alice/${unused}`]);
    // The voice and its sample are untouched; the expired ones read as absent.
    expect((await t.request('alice', 'voice-voices-get', { params: { id: voice } })).json).toMatchObject({ status: 'ready' });
    expect((await t.request('alice', 'voice-samples-get', { params: { id: enrolled } })).statusCode).toBe(200);
    expect((await t.request('alice', 'voice-synthesis-get', { params: { id: synthesis } })).statusCode).toBe(404);
  }, 60_000);
});

describe('voice cleanup: uploads and orphans', () => {
  it('takes an orphaned blob only past the grace period, and never an upload in flight', async () => {
    const t = setup({ env: { VOICE_ORPHAN_GRACE_MINUTES: '60', VOICE_UPLOAD_URL_TTL_SECONDS: '900' } });
    // No document names these: a stray PUT, and a synthesis whose document is gone.
    await t.ports.blobs.put('voice-uploads', 'bob/stray', Uint8Array.of(1), 'audio/wav');
    await t.ports.blobs.put('voice-synthesis', 'bob/gone.mp3', Uint8Array.of(1), 'audio/mpeg');
    // An upload whose URL was just issued, its PUT landed, the trigger not fired yet.
    const upload = (await t.request('bob', 'voice-uploads-create', { body: { content_type: 'audio/wav', size: wav.length } })).json!;
    await t.ports.blobs.put('voice-uploads', upload.blob_name as string, wav, 'audio/wav');
    // An upload URL never used.
    const unusedUrl = (await t.request('bob', 'voice-uploads-create', { body: { content_type: 'audio/wav', size: wav.length } })).json!;

    await t.cleanup();
    expect(await names(t, 'voice-uploads')).toEqual([upload.blob_name, 'bob/stray'].sort());
    expect(await names(t, 'voice-synthesis')).toEqual(['bob/gone.mp3']);

    // Past the grace, still inside the URL's lifetime plus the grace: the orphans go, the uploads stay.
    t.clock.advance(61 * MINUTE);
    await t.cleanup();
    expect(await names(t, 'voice-uploads')).toEqual([upload.blob_name]);
    expect(await names(t, 'voice-synthesis')).toEqual([]);
    expect((await t.request('bob', 'voice-samples-get', { params: { id: unusedUrl.sample_id as string } })).json).toMatchObject({ status: 'awaiting_upload' });

    // The URL expired 60 minutes ago and nothing was processed: both samples are abandoned.
    t.clock.advance(15 * MINUTE);
    await t.cleanup();
    expect(await names(t, 'voice-uploads')).toEqual([]);
    for (const sample of [upload, unusedUrl]) expect((await t.request('bob', 'voice-samples-get', { params: { id: sample.sample_id as string } })).statusCode).toBe(404);
  }, 30_000);

  it('looks at one page of each container per run and goes on from there next run', async () => {
    const t = setup();
    const orphans = Array.from({ length: CLEANUP_PAGE + 50 }, (_, index) => `dave/${String(index).padStart(4, '0')}.mp3`);
    for (const name of orphans) await t.ports.blobs.put('voice-synthesis', name, Uint8Array.of(1), 'audio/mpeg');
    t.clock.advance(DAY);
    await t.cleanup();
    expect(await names(t, 'voice-synthesis')).toEqual(orphans.slice(CLEANUP_PAGE));
    await t.cleanup();
    expect(await names(t, 'voice-synthesis')).toEqual([]);
  });

  it('goes on past a blob it cannot delete, counts it, and tries it again next run', async () => {
    const t = setup();
    for (const name of ['carol/a', 'carol/b', 'carol/c']) await t.ports.blobs.put('voice-archive', name, Uint8Array.of(1), 'audio/wav');
    const blobs = t.ports.blobs;
    const realDelete = blobs.delete.bind(blobs);
    let failing = true;
    blobs.delete = async (container, name) => {
      if (failing && name === 'carol/b') throw new Error('storage said no');
      return realDelete(container, name);
    };
    t.clock.advance(DAY);
    await t.cleanup();
    expect(await names(t, 'voice-archive')).toEqual(['carol/b']);
    const snapshot = await (t.ports.metrics as MemoryMetrics).snapshot();
    const points = (name: string) => snapshot.counters.find((counter) => counter.name === name)?.points ?? [];
    expect(points(VOICE_CLEANUP_METRIC.removed)).toEqual([{ attributes: { kind: 'orphan_blob', container: 'voice-archive' }, value: 2 }]);
    expect(points(VOICE_CLEANUP_METRIC.errors)).toEqual([{ attributes: { kind: 'orphan_blob', container: 'voice-archive' }, value: 1 }]);

    failing = false;
    t.clock.advance(MINUTE);
    await t.cleanup();
    expect(await names(t, 'voice-archive')).toEqual([]);
  });
});

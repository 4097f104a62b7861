/**
 * Property: whatever reaches the media routes (random bytes, real images with flipped bytes or
 * cut short, any Content-Type, any JSON), the answer is never a 5xx, a refusal is problem+json,
 * and a refused upload stores nothing (an accepted one stores exactly one image).
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { asUser, avif, jpeg, png, setup, webp } from './support.ts';

const RUNS = Math.max(200, Number(process.env.FUZZ_RUNS ?? 200));

let samples: Buffer[] = [];

beforeAll(async () => {
  const colour = { r: 90, g: 120, b: 40 };
  samples = await Promise.all([png(24, 16, colour), jpeg(24, 16, colour), webp(24, 16, colour), avif(16, 16, colour)]);
});

const TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/avif'];

/** A real image, with some bytes overwritten and maybe cut short (and its true type); or plain random bytes. */
const image = fc.oneof(
  { weight: 3, arbitrary: fc.record({
    sample: fc.nat({ max: 3 }),
    flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
    cut: fc.option(fc.nat(), { nil: undefined, freq: 2 }),
  }).map(({ sample, flips, cut }) => {
    const bytes = Buffer.from(samples[sample]!);
    for (const [at, value] of flips) bytes[at % bytes.length] = value;
    return { bytes: cut === undefined ? bytes : bytes.subarray(0, cut % (bytes.length + 1)), type: TYPES[sample]! };
  }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 512 }).map((bytes) => ({ bytes: Buffer.from(bytes), type: 'image/png' })) },
);
const imageBytes = image.map(({ bytes }) => bytes);

/** Mostly the image's true type (so some uploads get through), otherwise anything. */
const contentType = (trueType: string) =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constant(trueType) },
    { weight: 1, arbitrary: fc.constantFrom(...TYPES, 'image/jpg', 'image/gif', 'application/json', 'text/plain', 'image/png; charset=utf-8', '') },
    { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
  );

async function counts(t: ReturnType<typeof setup>) {
  const stored = await t.stored();
  return { documents: stored.documents.length, archive: stored.archive.length, images: stored.images.length };
}

describe('fuzzing the media routes', () => {
  it(`process-image: never 5xx; a refusal stores nothing (${RUNS} runs)`, async () => {
    const t = setup();
    const seen = { accepted: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(image.chain((sample) => contentType(sample.type).map((type) => ({ bytes: sample.bytes, type }))), async ({ bytes, type }) => {
        const before = await counts(t);
        const reply = await t.upload(asUser('fuzz'), bytes, type);
        expect(reply.statusCode).toBeLessThan(500);
        const after = await counts(t);
        seen[reply.statusCode === 201 ? 'accepted' : 'refused'] += 1;
        if (reply.statusCode === 201) {
          expect(after).toEqual({ documents: before.documents + 1, archive: before.archive + 1, images: before.images + 1 });
        } else {
          expect(reply.headers['content-type']).toBe('application/problem+json');
          expect(after).toEqual(before);
        }
      }),
      { numRuns: RUNS },
    );
    // Both paths were really exercised, not just refusals.
    expect(seen.accepted).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  });

  it(`extract-clothing-metadata: never 5xx, stores nothing (${RUNS} runs)`, async () => {
    const t = setup();
    const own = (await t.upload(asUser('fuzz'), samples[0]!, 'image/png')).json!.imageId as string;
    const others = (await t.upload(asUser('other'), samples[1]!, 'image/jpeg')).json!.imageId as string;
    const before = await counts(t);
    const base64 = imageBytes.map((bytes) => bytes.toString('base64'));
    const field = fc.oneof(
      base64,
      base64.map((value) => `data:image/png;base64,${value}`),
      fc.constantFrom(own, others, '', '../x', 'a/b', '00000000-0000-0000-0000-000000000000'),
      fc.string({ maxLength: 60 }),
      fc.jsonValue({ maxDepth: 2 }),
    );
    const body = fc.oneof(
      fc.record({ imageId: field, imageBase64: field, extra: field }, { requiredKeys: [] }),
      fc.jsonValue({ maxDepth: 3 }),
    );
    const caller = fc.constantFrom(asUser('fuzz'), asUser('other'), { 'x-api-key': 'service-key-0123456789' }, {});
    await fc.assert(
      fc.asyncProperty(body, caller, async (value, headers) => {
        const reply = await t.extract(headers, value);
        expect(reply.statusCode).toBeLessThan(500);
        if (reply.statusCode >= 400) expect(reply.headers['content-type']).toBe('application/problem+json');
      }),
      { numRuns: RUNS },
    );
    expect(await counts(t)).toEqual(before);
  });
});

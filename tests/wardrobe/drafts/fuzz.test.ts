/**
 * Property: whatever reaches POST /api/wardrobe/upload (multipart bodies with mutated real
 * images, random parts and boundaries, raw bodies of any type), the answer is never a 5xx, a
 * refusal is problem+json and stores nothing, and every accepted draft ends Ready or Failed once
 * its job has run: never stuck in Processing.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { draftsHarness, jpeg, multipart, png } from './support.ts';

const RUNS = Math.max(150, Number(process.env.FUZZ_RUNS ?? 150));

let samples: Buffer[] = [];
beforeAll(async () => {
  samples = await Promise.all([png(24, 16, { r: 90, g: 120, b: 40 }), jpeg(24, 16, { r: 90, g: 120, b: 40 })]);
});

const bytes = fc.oneof(
  { weight: 3, arbitrary: fc.record({ sample: fc.nat({ max: 1 }), flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), cut: fc.option(fc.nat(), { nil: undefined }) })
    .map(({ sample, flips, cut }) => {
      const out = Buffer.from(samples[sample]!);
      for (const [at, value] of flips) out[at % out.length] = value;
      return cut === undefined ? out : out.subarray(0, cut % (out.length + 1));
    }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 256 }).map((array) => Buffer.from(array)) },
);

const part = fc.oneof(
  fc.record({ name: fc.constantFrom('file', 'image', 'x', 'skip_segmentation', 'is_wishlisted'), value: fc.constantFrom('true', 'TRUE', 'false', '', 'yes') }),
  fc.record({ name: fc.constantFrom('file', 'image', 'photo'), fileName: fc.constantFrom('a.jpg', '', 'b.png'), contentType: fc.constantFrom('image/jpeg', 'image/png', 'application/octet-stream', 'text/plain'), bytes }),
);

const request = fc.oneof(
  { weight: 3, arbitrary: fc.array(part, { maxLength: 4 }).map((parts) => ({ kind: 'form' as const, form: multipart(parts) })) },
  { weight: 1, arbitrary: fc.record({ raw: bytes, type: fc.constantFrom('image/png', 'image/jpeg', 'image/heic', 'text/plain', '', 'multipart/form-data; boundary=zz') }).map((r) => ({ kind: 'raw' as const, ...r })) },
);

describe('fuzzing the upload route', () => {
  it(`never answers 5xx; refusals store nothing; accepted drafts end Ready or Failed (${RUNS} runs)`, async () => {
    const t = draftsHarness();
    const seen = { accepted: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(request, async (input) => {
        const before = (await t.deps.blobs.list(t.media.archiveContainer)).length;
        const reply = input.kind === 'form' ? await t.uploadForm('fuzz', input.form) : await t.uploadRaw('fuzz', input.raw, input.type);
        expect(reply.statusCode).toBeLessThan(500);
        const after = (await t.deps.blobs.list(t.media.archiveContainer)).length;
        if (reply.statusCode === 202) {
          seen.accepted += 1;
          expect(after).toBe(before + 1);
          await t.drain();
          expect(['Ready', 'Failed']).toContain((await t.stored('fuzz', reply.json!.id as string))?.draftStatus);
        } else {
          seen.refused += 1;
          expect(reply.headers['content-type']).toBe('application/problem+json');
          expect(after).toBe(before);
        }
      }),
      { numRuns: RUNS },
    );
    // Both outcomes were really exercised.
    expect(seen.accepted).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  });
});

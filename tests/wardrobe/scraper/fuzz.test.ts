/**
 * Properties of the discover routes a client writes to: whatever body or query arrives, the
 * answer is never a 5xx and every refusal is problem+json with a code. A refused ingest stores
 * no item; a suggestion's names resolve through a fake DNS to non-public addresses, so no test
 * traffic leaves the machine and nothing is ever stored from one.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { Resolver } from '../../../adapters/http/safe-fetch.ts';
import { discoverHarness, type Reply } from './support.ts';

const RUNS = Math.max(200, Number(process.env.FUZZ_RUNS ?? 200));

const NON_PUBLIC = ['127.0.0.1', '10.0.0.1', '169.254.169.254', '192.168.1.1', '::1', 'fd00::1', '::ffff:10.0.0.1'];
const hostileDns: Resolver = async (hostname) => {
  const address = NON_PUBLIC[hostname.length % NON_PUBLIC.length]!;
  return [{ address, family: address.includes(':') ? 6 : 4 }];
};

function clean(reply: Reply) {
  expect(reply.statusCode).toBeLessThan(500);
  if (reply.statusCode >= 400) {
    expect(reply.headers['content-type']).toBe('application/problem+json');
    expect(typeof reply.json.code).toBe('string');
  }
}

const wild = fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 2 }));
const url = fc.oneof(
  fc.webUrl(),
  fc.constantFrom('/r/streetwear/x', '//evil.example/x', 'http://169.254.169.254/', 'https://10.0.0.1/a.jpg', 'https://[::1]/', 'javascript:alert(1)', 'https://i.redd.it/a.jpg', '', 'x'.repeat(2100)),
);
const redditPost = fc.record(
  {
    id: fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), wild), title: fc.oneof(fc.string({ maxLength: 60 }), wild), subreddit: fc.constantFrom('streetwear', 'StreetWear', 'other', ''),
    permalink: url, url, score: fc.oneof(fc.integer(), wild), over_18: fc.oneof(fc.boolean(), wild), created_utc: fc.oneof(fc.double(), fc.integer(), wild),
    selftext: fc.oneof(fc.string({ maxLength: 40 }), wild), media_metadata: fc.oneof(fc.dictionary(fc.string({ maxLength: 4 }), fc.record({ s: fc.record({ u: url }) })), wild),
    gallery_data: fc.oneof(fc.record({ items: fc.array(fc.record({ media_id: fc.string({ maxLength: 4 }) }), { maxLength: 3 }) }), wild),
    preview: fc.oneof(fc.record({ images: fc.array(fc.record({ source: fc.record({ url }) }), { maxLength: 2 }) }), wild), extra: wild,
  },
  { requiredKeys: ['id', 'title', 'subreddit', 'permalink', 'url', 'score', 'over_18', 'created_utc'] },
);

describe('fuzzing the discover routes', () => {
  it(`POST /api/scraper/ingest/reddit: no 5xx, refusals are problem+json, a refused ingest stores nothing (${RUNS} runs)`, async () => {
    const h = discoverHarness();
    await h.api.sources('ann');
    const body = fc.oneof(
      { weight: 6, arbitrary: fc.record({ source_id: fc.constantFrom('reddit-streetwear', 'reddit-nope', 'Bad Id'), posts: fc.array(redditPost, { maxLength: 4 }) }).map((value) => JSON.stringify(value)) },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)) },
      { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
    );
    const outcomes = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(body, async (raw) => {
        // A fresh standing each time: the strike ban would otherwise turn every later run into a 403.
        await h.api.unban('ops', 'fuzz');
        const before = (await h.repo.items.query({ limit: 1000 })).items.length;
        const reply = await h.api.ingest('fuzz', raw);
        outcomes.set(reply.statusCode, (outcomes.get(reply.statusCode) ?? 0) + 1);
        clean(reply);
        if (reply.statusCode >= 400) expect((await h.repo.items.query({ limit: 1000 })).items.length).toBe(before);
      }),
      { numRuns: RUNS },
    );
    // The generators reach the handler, not only the validator.
    expect(outcomes.get(200) ?? 0).toBeGreaterThan(0);
  });

  it(`GET /api/scraper/items with any query, and POST feedback with any body: no 5xx (${RUNS} runs)`, async () => {
    const h = discoverHarness();
    const query = fc
      .dictionary(fc.constantFrom('sortBy', 'pageSize', 'continuationToken', 'tags', 'sourceIds', 'timeRange', 'other'), fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('score', 'recent', '7d', '-1', '1e3', '50')))
      .map((entries) => new URLSearchParams(entries).toString());
    await fc.assert(fc.asyncProperty(query, async (text) => clean(await h.api.items('ann', text))), { numRuns: RUNS });
    const feedback = fc.tuple(fc.constantFrom('reddit-0123456789abcdef', 'brand_site-0123456789abcdef', 'x'), fc.oneof(fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value)), fc.string({ maxLength: 30 })));
    await fc.assert(fc.asyncProperty(feedback, async ([id, raw]) => clean(await h.api.feedback('ann', id, raw))), { numRuns: RUNS });
  });

  it(`POST /api/scraper/sources with any body: no 5xx, and nothing stored (${RUNS} runs)`, async () => {
    const h = discoverHarness({ resolve: hostileDns, fetch: { allowLoopback: false } });
    const body = fc.oneof(
      { weight: 4, arbitrary: fc.record({ name: fc.oneof(fc.string({ maxLength: 30 }), wild), url: fc.oneof(url, wild), source_type: wild, sourceType: fc.constantFrom('brand', 'brand_site', 'reddit') }, { requiredKeys: [] }).map((value) => JSON.stringify(value)) },
      { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
    );
    await fc.assert(fc.asyncProperty(body, async (raw) => clean(await h.api.suggest('ann', raw))), { numRuns: RUNS });
    expect((await h.repo.sources.query({ limit: 10 })).items).toEqual([]);
  });
});

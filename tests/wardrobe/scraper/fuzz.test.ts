/**
 * Property, on POST /api/scraper/import: whatever body arrives, the answer is never a 5xx, every
 * refusal is problem+json, and a refused request stores nothing. Names resolve through a fake
 * DNS (to non-public addresses, or to the local shop when loopback is allowed), so no test
 * traffic leaves the machine.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { Resolver } from '../../../adapters/http/safe-fetch.ts';
import { html, productPage, redirect, scraperHarness, startShop, type Shop } from './support.ts';

const RUNS = Math.max(200, Number(process.env.FUZZ_RUNS ?? 200));

let shop: Shop;
beforeAll(async () => {
  shop = await startShop();
  shop.pages.set('/p', html(productPage({ name: 'Fuzzed Jacket', offers: { price: '12.50', priceCurrency: 'EUR' } })));
  shop.pages.set('/og', html('<meta property="og:title" content="Fuzzed Tee"><meta property="og:type" content="product">'));
  shop.pages.set('/none', html('<p>nothing</p>'));
  shop.pages.set('/r', redirect('/p'));
  shop.pages.set('/evil', redirect('http://10.1.2.3/'));
});
afterAll(() => shop.close());

const NON_PUBLIC = ['127.0.0.1', '10.0.0.1', '172.16.5.4', '192.168.1.1', '169.254.169.254', '100.64.0.9', '0.0.0.0', '224.0.0.5', '::1', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', 'ff02::1', '::'];

/** Every name resolves to a non-public address picked by its length, or does not resolve at all. */
const hostileDns: Resolver = async (hostname) => {
  if (hostname.length % 5 === 0) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  const address = NON_PUBLIC[hostname.length % NON_PUBLIC.length]!;
  return [{ address, family: address.includes(':') ? 6 : 4 }];
};

/** Every name is the local shop. */
const shopDns: Resolver = async () => [{ address: '127.0.0.1', family: 4 }];

const host = fc.oneof(
  fc.domain(),
  fc.constantFrom('localhost', 'LOCALHOST', 'shop.test', 'metadata.google.internal'),
  fc.constantFrom(...NON_PUBLIC.map((address) => (address.includes(':') ? `[${address}]` : address))),
  fc.constantFrom('2130706433', '0x7f000001', '0177.0.0.1', '127.1', '0', '[::ffff:7f00:1]', '[0:0:0:0:0:ffff:a9fe:a9fe]', '2852039166', '0xa9fea9fe'),
);
const scheme = fc.oneof({ weight: 3, arbitrary: fc.constantFrom('http', 'HTTP') }, { weight: 1, arbitrary: fc.constantFrom('https', 'ftp', 'file', 'gopher', 'javascript', 'data', 'ws') });
const userinfo = fc.oneof({ weight: 4, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constantFrom('user@', 'user:pass@', ':@', 'a%40b:c@') });
const path = fc.oneof(fc.constantFrom('/p', '/og', '/none', '/r', '/evil', '/missing', '/', ''), fc.webPath());
const anyPort = fc.option(fc.integer({ min: 0, max: 70_000 }), { nil: undefined });
/** URLs; `port`, when given, is mostly the shop's, so the second property reaches it. */
const urlOn = (port: fc.Arbitrary<number | undefined>) =>
  fc.tuple(scheme, userinfo, host, port, path).map(([s, u, h, p, rest]) => `${s}://${u}${h}${p === undefined ? '' : `:${p}`}${rest}`);
const wild = fc.oneof(fc.string({ maxLength: 40 }), fc.integer(), fc.constant(null), fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('', ' ', '\u0000', 'x'.repeat(2100)));
const bodyOn = (port: fc.Arbitrary<number | undefined>) => {
  const url = urlOn(port);
  return fc.oneof(
    { weight: 6, arbitrary: url.map((value) => JSON.stringify({ url: value })) },
    { weight: 2, arbitrary: fc.record({ url: fc.oneof(url, wild), extra: wild }, { requiredKeys: [] }).map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
  );
};

async function fuzz(options: { allowLoopback: boolean; resolve: Resolver; port: fc.Arbitrary<number | undefined> }, check: (reply: { statusCode: number; json: Record<string, unknown> }) => void) {
  const t = scraperHarness({ fetch: { allowLoopback: options.allowLoopback }, resolve: options.resolve });
  const outcomes = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(bodyOn(options.port), async (raw) => {
      const before = await t.stored();
      const reply = await t.importRaw('ann', raw);
      outcomes.set(reply.statusCode, (outcomes.get(reply.statusCode) ?? 0) + 1);
      expect(reply.statusCode).toBeLessThan(500);
      if (reply.statusCode >= 400) {
        expect(reply.headers['content-type']).toBe('application/problem+json');
        expect(typeof reply.json.code).toBe('string');
        expect(await t.stored()).toBe(before);
      } else {
        expect(reply.statusCode).toBe(201);
      }
      check(reply);
    }),
    { numRuns: RUNS },
  );
  return outcomes;
}

describe('fuzzing POST /api/scraper/import', () => {
  it(`with loopback refused (the default), nothing is ever fetched or stored (${RUNS} runs)`, async () => {
    const requests = shop.requests.length;
    const outcomes = await fuzz({ allowLoopback: false, resolve: hostileDns, port: anyPort }, (reply) => {
      expect(reply.statusCode === 400 || (reply.statusCode === 422 && reply.json.code === 'fetch_failed')).toBe(true);
    });
    expect(shop.requests.length).toBe(requests);
    expect(outcomes.get(201)).toBeUndefined();
  });

  it(`with the local shop allowed, imports succeed or fail cleanly (${RUNS} runs)`, async () => {
    const outcomes = await fuzz({ allowLoopback: true, resolve: shopDns, port: fc.oneof({ weight: 4, arbitrary: fc.constant(shop.port) }, { weight: 1, arbitrary: anyPort }) }, () => undefined);
    // The generators reach the shop too, not only the validator and the address checks.
    expect(outcomes.get(201) ?? 0).toBeGreaterThan(0);
    expect(outcomes.get(422) ?? 0).toBeGreaterThan(0);
  });
});

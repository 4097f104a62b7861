/**
 * POST /api/scraper/import through the real httpHandler stack and the real SSRF-safe fetcher,
 * against a local shop on 127.0.0.1. Happy paths run with SCRAPER_ALLOW_LOOPBACK on; the
 * refusals with it off (the default), where even the shop itself is out of reach.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { gzipSync } from 'node:zlib';
import { createSafeFetcher, type Resolver } from '../../../adapters/http/safe-fetch.ts';
import { FetchFailedError } from '../../../domain/wardrobe/page-fetch.ts';
import { html, productPage, redirect, scraperHarness, startShop, status, testFetch, type Shop } from './support.ts';

let shop: Shop;

beforeAll(async () => {
  shop = await startShop();
  shop.pages.set('/merino', html(productPage({ name: 'Merino Crew Sweater', brand: { '@type': 'Brand', name: 'Woolly' }, image: '/img/merino.jpg', offers: { '@type': 'Offer', price: '89.90', priceCurrency: 'EUR' } })));
  shop.pages.set(
    '/og',
    html(`<html><head><meta content="Trail Runner &amp; Hiker" property="og:title"><meta property="og:type" content="product"><meta name="product:price:amount" content="99.95"><meta name="product:price:currency" content="USD"><meta property="og:image" content="https://cdn.example.com/runner.png"><meta property="product:brand" content="Peak"></head></html>`),
  );
  shop.pages.set('/none', html('<html><head><title>About us</title><meta property="og:title" content="About us"></head><body>We sell things.</body></html>'));
  // Chunked, with no length to refuse up front: the cap stops the read.
  shop.pages.set('/huge', (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end(`<html>${'<p>filler</p>'.repeat(20_000)}</html>`);
  });
  shop.pages.set('/huge-declared', html('x'.repeat(100 * 1024)));
  // 10 MB of spaces in ~10 KB of gzip: the cap applies after decompression.
  shop.pages.set('/gzip-bomb', (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' });
    response.end(gzipSync(Buffer.alloc(10 * 1024 * 1024, 0x20)));
  });
  shop.pages.set('/gzip', (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip' });
    response.end(gzipSync(productPage({ name: 'Zipped Parka', offers: { price: 240, priceCurrency: 'EUR' } })));
  });
  shop.pages.set('/latin1', (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=iso-8859-1' });
    response.end(Buffer.from('<meta property="og:title" content="Pull en laine \xe9t\xe9"><meta property="og:type" content="product">', 'latin1'));
  });
  shop.pages.set('/slow', () => undefined); // never answers: the deadline does
  shop.pages.set('/slow-body', (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.write('<html><head>'); // ... and never finishes
  });
  shop.pages.set('/moved', redirect('/merino', 301));
  shop.pages.set('/to-metadata', redirect('http://169.254.169.254/latest/meta-data/'));
  shop.pages.set('/to-private', redirect('http://10.0.0.1/admin', 307));
  shop.pages.set('/to-file', redirect('file:///etc/passwd'));
  shop.pages.set('/loop', redirect('/loop'));
  shop.pages.set('/gone', status(410));
  shop.pages.set('/broken', status(503));
  shop.pages.set('/image', (_request, response) => {
    response.writeHead(200, { 'content-type': 'image/png' });
    response.end(Buffer.alloc(10));
  });
});

afterAll(() => shop.close());

describe('importing a product page (SCRAPER_ALLOW_LOOPBACK on, for the local shop)', () => {
  it('creates a draft item from JSON-LD, with every field of an item set', async () => {
    const t = scraperHarness();
    const reply = await t.importUrl('ann', shop.url('/merino'));
    expect(reply.statusCode).toBe(201);
    const stamp = t.clock.now().toISOString();
    expect(reply.json).toEqual({
      id: 'item-1',
      userId: 'ann',
      name: 'Merino Crew Sweater',
      category: 'tops',
      colours: [],
      brand: 'Woolly',
      price: 89.9,
      currency: 'EUR',
      imageId: null,
      imageUrl: shop.url('/img/merino.jpg'),
      tags: [],
      purchaseDate: null,
      wearCount: 0,
      lastWornAt: null,
      status: 'draft',
      source: { url: shop.url('/merino'), importedAt: stamp, checkedAt: stamp },
      createdAt: stamp,
      updatedAt: stamp,
      etag: expect.any(String),
    });
    // Stored in the items container under the owner, and registered for price refreshes.
    expect(await t.repo.items.get('item-1', 'ann')).toMatchObject({ status: 'draft', price: 89.9 });
    expect(await t.repo.items.get('item-1', 'bob')).toBeUndefined();
    expect(await t.repo.sources.get('item-1', 'ann')).toMatchObject({ itemId: 'item-1', url: shop.url('/merino') });
  });

  it('falls back to OpenGraph and product meta tags', async () => {
    const t = scraperHarness();
    const reply = await t.importUrl('ann', shop.url('/og'));
    expect(reply.statusCode).toBe(201);
    expect(reply.json).toMatchObject({ name: 'Trail Runner & Hiker', brand: 'Peak', price: 99.95, currency: 'USD', imageUrl: 'https://cdn.example.com/runner.png', category: 'shoes', status: 'draft' });
  });

  it('reads gzip bodies and the declared charset', async () => {
    const t = scraperHarness();
    expect((await t.importUrl('ann', shop.url('/gzip'))).json).toMatchObject({ name: 'Zipped Parka', category: 'outerwear', price: 240 });
    expect((await t.importUrl('ann', shop.url('/latin1'))).json).toMatchObject({ name: 'Pull en laine été', category: 'uncategorized', price: null, currency: null });
  });

  it('follows a redirect, and keeps the URL it finally read', async () => {
    const t = scraperHarness();
    const reply = await t.importUrl('ann', shop.url('/moved'));
    expect(reply.statusCode).toBe(201);
    expect(reply.json.source.url).toBe(shop.url('/merino'));
  });

  it.each([
    ['/none', 'no_product_data', undefined],
    ['/huge', 'fetch_failed', 'too_large'],
    ['/huge-declared', 'fetch_failed', 'too_large'],
    ['/gzip-bomb', 'fetch_failed', 'too_large'],
    ['/slow', 'fetch_failed', 'timeout'],
    ['/slow-body', 'fetch_failed', 'timeout'],
    ['/loop', 'fetch_failed', 'too_many_redirects'],
    ['/gone', 'fetch_failed', 'status 410'],
    ['/broken', 'fetch_failed', 'status 503'],
    ['/missing', 'fetch_failed', 'status 404'],
    ['/image', 'fetch_failed', 'not_html'],
  ])('%s answers 422 %s (%s), and stores nothing', async (path, code, reason) => {
    const t = scraperHarness();
    const before = await t.stored();
    const reply = await t.importUrl('ann', shop.url(path));
    expect([reply.statusCode, reply.headers['content-type'], reply.json.code]).toEqual([422, 'application/problem+json', code]);
    if (reason) expect(reply.json.errors).toEqual([{ pointer: '/body/url', detail: reason }]);
    expect(await t.stored()).toBe(before);
  });

  it.each([
    ['/to-metadata', 'the cloud metadata address'],
    ['/to-private', 'a private address'],
  ])('a redirect to %s (%s) is refused: 400 url_not_allowed, nothing fetched there', async (path) => {
    const t = scraperHarness();
    const reply = await t.importUrl('ann', shop.url(path));
    expect([reply.statusCode, reply.json.code]).toEqual([400, 'url_not_allowed']);
    expect(await t.repo.items.query({ limit: 10 })).toEqual({ items: [] });
  });

  it('a redirect to a file: URL is refused', async () => {
    const reply = await scraperHarness().importUrl('ann', shop.url('/to-file'));
    expect([reply.statusCode, reply.json.code]).toEqual([400, 'url_scheme_not_allowed']);
  });

  it('needs a signed-in user and a body with a url', async () => {
    const t = scraperHarness();
    expect((await t.importRaw('', JSON.stringify({ url: shop.url('/merino') }))).statusCode).toBe(401);
    expect((await t.importRaw('ann', '{}')).json.code).toBe('validation_failed');
    expect((await t.importRaw('ann', JSON.stringify({ url: shop.url('/merino'), extra: 1 }))).statusCode).toBe(400);
  });
});

describe('SSRF refusals (SCRAPER_ALLOW_LOOPBACK off, the default)', () => {
  it.each([
    ['the shop itself on 127.0.0.1', () => shop.url('/merino'), 'url_not_allowed'],
    ['localhost, which resolves to loopback', () => `http://localhost:${shop.port}/merino`, 'url_not_allowed'],
    ['decimal 2130706433', () => `http://2130706433:${shop.port}/merino`, 'url_not_allowed'],
    ['hex 0x7f000001', () => `http://0x7f000001:${shop.port}/merino`, 'url_not_allowed'],
    ['octal 0177.0.0.1', () => `http://0177.0.0.1:${shop.port}/merino`, 'url_not_allowed'],
    ['IPv6 [::1]', () => `http://[::1]:${shop.port}/merino`, 'url_not_allowed'],
    ['IPv4-mapped [::ffff:127.0.0.1]', () => `http://[::ffff:127.0.0.1]:${shop.port}/merino`, 'url_not_allowed'],
    ['the metadata address', () => 'http://169.254.169.254/latest/meta-data/', 'url_not_allowed'],
    ['a private address', () => 'http://192.168.0.1/', 'url_not_allowed'],
    ['CGNAT', () => 'http://100.64.0.1/', 'url_not_allowed'],
    ['unique-local IPv6', () => 'http://[fd00::1]/', 'url_not_allowed'],
    ['link-local IPv6', () => 'http://[fe80::1]/', 'url_not_allowed'],
    ['multicast', () => 'http://224.0.0.1/', 'url_not_allowed'],
    ['unspecified', () => `http://0.0.0.0:${shop.port}/merino`, 'url_not_allowed'],
    ['ftp', () => 'ftp://example.com/file', 'url_scheme_not_allowed'],
    ['file', () => 'file:///etc/passwd', 'url_scheme_not_allowed'],
    ['credentials', () => `http://admin:secret@example.com/`, 'url_credentials_not_allowed'],
    ['not a URL', () => 'merino sweater', 'url_invalid'],
  ])('%s: 400 %s, nothing stored, nothing fetched', async (_name, url, code) => {
    const t = scraperHarness({ fetch: { allowLoopback: false } });
    const requests = shop.requests.length;
    const reply = await t.importUrl('ann', url());
    expect([reply.statusCode, reply.headers['content-type'], reply.json.code]).toEqual([400, 'application/problem+json', code]);
    expect(await t.stored()).toBe('[[],[],[]]');
    expect(shop.requests.length).toBe(requests);
  });
});

describe('DNS: every resolved address is checked, and the connection goes to the checked one', () => {
  const fakeDns = (table: Record<string, { address: string; family: number }[]>): Resolver & { calls: string[] } => {
    const calls: string[] = [];
    return Object.assign(async (hostname: string) => {
      calls.push(hostname);
      const found = table[hostname];
      if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
      return found;
    }, { calls });
  };

  it('a name with one public and one private address is refused (a rebind could pick either)', async () => {
    const dns = fakeDns({ 'shop.test': [{ address: '93.184.216.34', family: 4 }, { address: '10.0.0.7', family: 4 }] });
    const t = scraperHarness({ fetch: { allowLoopback: false }, resolve: dns });
    const reply = await t.importUrl('ann', 'http://shop.test/p');
    expect([reply.statusCode, reply.json.code, reply.json.detail]).toEqual([400, 'url_not_allowed', 'shop.test resolves to a private address; only public addresses are fetched.']);
    expect(dns.calls).toEqual(['shop.test']);
  });

  it('connects to the address our resolver checked, not a fresh lookup (the name is unknown to real DNS)', async () => {
    const dns = fakeDns({ 'shop.test': [{ address: '127.0.0.1', family: 4 }] });
    const t = scraperHarness({ resolve: dns });
    const reply = await t.importUrl('ann', `http://shop.test:${shop.port}/merino`);
    expect([reply.statusCode, reply.json.name]).toEqual([201, 'Merino Crew Sweater']);
    // One resolution per connection: nothing resolved the name a second time after the check.
    expect(dns.calls).toEqual(['shop.test']);
  });

  it('a redirect to a name that resolves privately is refused at its own lookup', async () => {
    const dns = fakeDns({ 'shop.test': [{ address: '127.0.0.1', family: 4 }], 'internal.test': [{ address: '192.168.1.10', family: 4 }] });
    shop.pages.set('/to-internal', redirect('http://internal.test/secrets'));
    const t = scraperHarness({ resolve: dns });
    const reply = await t.importUrl('ann', `http://shop.test:${shop.port}/to-internal`);
    expect([reply.statusCode, reply.json.code]).toEqual([400, 'url_not_allowed']);
    expect(dns.calls).toEqual(['shop.test', 'internal.test']);
  });

  it('an unknown name is a 422 fetch_failed (dns)', async () => {
    const t = scraperHarness({ resolve: fakeDns({}) });
    const reply = await t.importUrl('ann', 'http://nowhere.test/p');
    expect([reply.statusCode, reply.json.code, reply.json.errors]).toEqual([422, 'fetch_failed', [{ pointer: '/body/url', detail: 'dns' }]]);
  });

  it('the fetcher used directly fails with typed errors', async () => {
    const fetcher = createSafeFetcher(testFetch());
    await expect(fetcher.fetchPage(shop.url('/broken'))).rejects.toMatchObject({ reason: 'status', siteStatus: 503, transient: true });
    await expect(fetcher.fetchPage(shop.url('/gone'))).rejects.toMatchObject({ reason: 'status', siteStatus: 410, transient: false });
    await expect(fetcher.fetchPage(shop.url('/slow'))).rejects.toBeInstanceOf(FetchFailedError);
  });
});

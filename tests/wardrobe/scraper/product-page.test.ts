/** The product page parser (pure): real-world-shaped pages, prices, categories, and a fuzz that it never throws. */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { decodeEntities, scanPage } from '../../../domain/wardrobe/html-scan.ts';
import { itemFromProduct } from '../../../domain/wardrobe/discover.ts';
import { guessCategory, UNCATEGORIZED } from '../../../domain/wardrobe/product-category.ts';
import { parsePrice, parseProductPage, type ProductData } from '../../../domain/wardrobe/product-page.ts';

const BASE = 'https://shop.example.com/p/123?ref=x';
const ld = (value: unknown, type = 'application/ld+json') => `<script type="${type}">${JSON.stringify(value)}</script>`;
const page = (head: string, body = '<p>Hello</p>') => `<!DOCTYPE html>\n<html lang="en"><head>${head}</head><body>${body}</body></html>`;

type Expected = Partial<ProductData> | undefined;

const CASES: [string, string, Expected][] = [
  [
    'a plain Product: brand object, one offer, image string',
    page(ld({ '@context': 'https://schema.org/', '@type': 'Product', name: 'Merino Crew Sweater', brand: { '@type': 'Brand', name: 'Woolly' }, image: '/img/merino.jpg', offers: { '@type': 'Offer', price: '89.00', priceCurrency: 'EUR' } })),
    { name: 'Merino Crew Sweater', brand: 'Woolly', price: 89, currency: 'EUR', imageUrl: 'https://shop.example.com/img/merino.jpg', from: 'json-ld' },
  ],
  [
    'a @graph with a site, breadcrumbs and the product; offers and images as lists',
    page(ld({
      '@context': 'https://schema.org',
      '@graph': [
        { '@type': 'WebSite', name: 'Shop' },
        { '@type': 'BreadcrumbList', itemListElement: [{ '@type': 'ListItem', name: 'Men' }] },
        { '@type': ['Product', 'Thing'], name: 'Chelsea Boots', brand: 'Stompers', category: 'Men > Footwear > Boots', image: [{ '@type': 'ImageObject', url: 'https://cdn.example.com/boot.jpg' }, 'https://cdn.example.com/boot2.jpg'], offers: [{ '@type': 'Offer', availability: 'OutOfStock' }, { '@type': 'Offer', price: 149.5, priceCurrency: 'gbp' }] },
      ],
    })),
    { name: 'Chelsea Boots', brand: 'Stompers', price: 149.5, currency: 'GBP', imageUrl: 'https://cdn.example.com/boot.jpg', categoryHints: ['Men > Footwear > Boots'] },
  ],
  [
    'a top-level array, the product second',
    page(ld([{ '@type': 'Organization', name: 'Shop Inc' }, { '@type': 'Product', name: 'Linen Shirt', offers: { price: '45', priceCurrency: 'USD' } }])),
    { name: 'Linen Shirt', brand: null, price: 45, currency: 'USD', imageUrl: null },
  ],
  [
    'a ProductGroup priced only on its variants (Shopify style)',
    page(ld({ '@type': 'ProductGroup', name: 'Everyday Tee', brand: { name: 'Basics' }, hasVariant: [{ '@type': 'Product', name: 'Everyday Tee - S', image: 'https://cdn.example.com/tee-s.jpg', offers: { '@type': 'Offer', price: '19.90', priceCurrency: 'EUR' } }] })),
    { name: 'Everyday Tee', brand: 'Basics', price: 19.9, currency: 'EUR', imageUrl: 'https://cdn.example.com/tee-s.jpg' },
  ],
  [
    'an AggregateOffer with a thousands separator',
    page(ld({ '@type': 'Product', name: 'Cashmere Coat', offers: { '@type': 'AggregateOffer', lowPrice: '1,299.00', highPrice: '1,499.00', priceCurrency: 'USD' } })),
    { name: 'Cashmere Coat', price: 1299, currency: 'USD' },
  ],
  [
    'a European price and entities left in the JSON strings',
    page(ld({ '@type': 'Product', name: 'Levi&#39;s 501&reg; Original Jeans', brand: 'Levi&amp;Co', offers: { price: '49,95', priceCurrency: 'EUR' } })),
    { name: "Levi's 501® Original Jeans", brand: 'Levi&Co', price: 49.95, currency: 'EUR' },
  ],
  [
    'an upper-case TYPE with parameters, single quotes, a CDATA wrapper and a raw newline in a string',
    page(`<SCRIPT TYPE='application/ld+json; charset=utf-8'>//<![CDATA[\n{"@type":"Product","name":"Rain Jacket","description":"Light\nand dry","offers":{"priceSpecification":{"price":"120","priceCurrency":"CHF"}}}\n//]]></SCRIPT>`),
    { name: 'Rain Jacket', price: 120, currency: 'CHF' },
  ],
  [
    'a broken JSON-LD block before a good one',
    page(`<script type="application/ld+json">{"@type": "Product", "name": </script>${ld({ '@type': 'Product', name: 'Wool Scarf', offers: { price: 30, priceCurrency: 'EUR' } })}`),
    { name: 'Wool Scarf', price: 30 },
  ],
  [
    'a WebPage whose mainEntity is the product, schema.org type as a URL',
    page(ld({ '@type': 'ItemPage', mainEntity: { '@type': 'http://schema.org/Product', name: 'Canvas Tote', image: { '@type': 'ImageObject', contentUrl: '//cdn.example.com/tote.jpg' } } })),
    { name: 'Canvas Tote', imageUrl: 'https://cdn.example.com/tote.jpg', price: null, currency: null },
  ],
  [
    'JSON-LD gaps filled from the meta tags (image, brand, and price with its currency)',
    page(`${ld({ '@type': 'Product', name: 'Silk Blouse' })}<meta property="og:image" content="https://cdn.example.com/blouse.jpg"><meta property="product:brand" content="Maison"><meta property="product:price:amount" content="210.00"><meta property="product:price:currency" content="EUR">`),
    { name: 'Silk Blouse', brand: 'Maison', price: 210, currency: 'EUR', imageUrl: 'https://cdn.example.com/blouse.jpg', from: 'json-ld' },
  ],
  [
    'OpenGraph only: attributes in any order and quoting, name= instead of property=, entities, a relative image',
    page(`<meta content="Trail Runner &amp; Hiker" property="og:title"/><meta property=og:type content=product><META NAME='product:price:amount' CONTENT='99.95'><meta content="usd" name="product:price:currency"><meta property="og:image" content="../img/runner.png"><meta property="og:brand" content="Peak">`),
    { name: 'Trail Runner & Hiker', brand: 'Peak', price: 99.95, currency: 'USD', imageUrl: 'https://shop.example.com/img/runner.png', from: 'meta' },
  ],
  [
    'OpenGraph with only a price as the product signal',
    page(`<meta property="og:title" content="Leather Belt"><meta property="og:price:amount" content="35"><meta property="og:price:currency" content="EUR">`),
    { name: 'Leather Belt', price: 35, currency: 'EUR', brand: null, from: 'meta' },
  ],
  ['an article: og:title but no product signal', page(`<meta property="og:title" content="Ten ways to wear a scarf"><meta property="og:type" content="article"><meta property="og:image" content="/a.jpg">`), undefined],
  ['JSON-LD that is not a product', page(ld({ '@type': 'Article', headline: 'News', name: 'News' })), undefined],
  ['a product without a name, and no meta tags', page(ld({ '@type': 'Product', offers: { price: 10, priceCurrency: 'EUR' } })), undefined],
  [
    'meta tags inside a comment, and markup inside scripts and styles, are not read',
    page(`<!-- <meta property="og:title" content="Ghost"><meta property="og:type" content="product"> --><script>var s = '<meta property="og:title" content="Ghost2"><meta property="og:type" content="product">';</script><style>/* <meta property="og:title" content="x"> */</style>`),
    undefined,
  ],
  ['a JavaScript image URL is dropped', page(ld({ '@type': 'Product', name: 'Beanie', image: 'javascript:alert(1)' })), { name: 'Beanie', imageUrl: null }],
  ['an empty document', '', undefined],
  ['a truncated tag at the end', '<html><head><meta property="og:title" content="Cap', undefined],
];

describe('parseProductPage', () => {
  it.each(CASES)('%s', (_name, html, expected) => {
    const product = parseProductPage(html, BASE);
    if (expected === undefined) expect(product).toBeUndefined();
    else expect(product).toMatchObject(expected);
  });

  it('never throws, and anything it finds is a usable product (fast-check)', () => {
    const fragment = fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.constantFrom('<meta ', '<meta property="og:title" content="', '<meta property=og:type content=product>', '"', "'", '>', '/>', '<!--', '-->', '&#x', '&#', '&amp', ';', '<script type="application/ld+json">', '</script>', '<style>', '<SCRIPT', '<![CDATA[', '@graph', '{"@type":"Product","name":', 'product:price:amount', ' content=', '\u0000', '\ud800'),
      fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
      fc.record({ '@type': fc.constantFrom('Product', 'ProductGroup', ['Product'], 'Offer'), name: fc.jsonValue({ maxDepth: 2 }), offers: fc.jsonValue({ maxDepth: 3 }), image: fc.jsonValue({ maxDepth: 2 }), brand: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: [] }).map((value) => ld(value)),
    );
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 30 }).map((parts) => parts.join('')), fc.option(fc.webUrl(), { nil: undefined }), (html, base) => {
        const product = parseProductPage(html, base);
        if (product === undefined) return;
        expect(product.name.trim()).not.toBe('');
        if (product.imageUrl !== null) expect(product.imageUrl).toMatch(/^https?:\/\//);
        if (product.price !== null) expect(Number.isFinite(product.price) && product.price >= 0).toBe(true);
        if (product.currency !== null) expect(product.currency).toMatch(/^[A-Z]{3}$/);
        const item = itemFromProduct(product, 'https://shop.example/p', { id: 'brand-shop', name: 'Shop' }, new Date(0));
        expect(item.title).not.toBe('');
        if (item.price !== null) expect(item.price).toMatch(/^\d+(\.\d\d)?(e[+-]\d+)?( [A-Z]{3})?$/);
      }),
      { numRuns: 1000 },
    );
  });

  it('survives pathological input: deep JSON nesting, huge attribute soup, unclosed everything', () => {
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    expect(parseProductPage(page(`<script type="application/ld+json">${deep}</script>`))).toBeUndefined();
    const nested = { '@type': 'WebPage', x: {} as Record<string, unknown> };
    let cursor = nested.x;
    for (let level = 0; level < 2000; level++) cursor = (cursor.x = {}) as Record<string, unknown>;
    expect(parseProductPage(page(ld(nested)))).toBeUndefined();
    expect(parseProductPage(`<meta ${'a='.repeat(50_000)}`)).toBeUndefined();
    expect(parseProductPage('<script type="application/ld+json">{"@type":"Product","name":"Open"')).toBeUndefined();
    expect(parseProductPage('<'.repeat(100_000))).toBeUndefined();
  });
});

describe('the HTML scan', () => {
  it('decodes numeric and named references and leaves unknown ones', () => {
    expect(decodeEntities('A&amp;B &#39;x&#x27; &euro;5 &bogus; &#0; &#xD800;')).toBe("A&B 'x' €5 &bogus; \ufffd \ufffd");
  });

  it('keeps the first of a repeated attribute, lower-cases names, reads valueless attributes', () => {
    const { metas } = scanPage('<meta PROPERTY="og:title" property="second" content="A" data-x>');
    expect(Object.fromEntries(metas[0]!)).toEqual({ property: 'og:title', content: 'A', 'data-x': '' });
  });

  // Issue 11: the hand-written decoder turned `&reg=eu&deg=90` in a URL into `®=eu°=90`. In an
  // attribute value a reference without `;` followed by `=` or a letter or digit is not one (HTML
  // "character reference in attribute value"), so a query string comes through as written.
  it('leaves query parameters that look like references alone in attribute values', () => {
    const image = 'https://cdn.example.com/i.jpg?w=1&reg=eu&deg=90&copy1=x';
    const { metas } = scanPage(`<meta property="og:image" content="${image}"><meta name="q" content=a&amp;b&reg=c>`);
    expect(metas.map((attrs) => attrs.get('content'))).toEqual([image, 'a&b&reg=c']);
    const product = parseProductPage(page(`<meta property="og:type" content="product"><meta property="og:title" content="Cap"><meta property="og:image" content="${image}">`), BASE);
    expect(product?.imageUrl).toBe(image);
  });

  it('decodes every HTML5 named reference, in text and in attributes (&Oslash; &frac12; were left as written)', () => {
    expect(decodeEntities('&Oslash;rsted &frac12; size, &hearts; &NotEqualTilde;')).toBe('Ørsted ½ size, ♥ \u2242\u0338');
    const { metas } = scanPage('<meta property="og:title" content="&Oslash;resund Jacket &frac12; price">');
    expect(metas[0]!.get('content')).toBe('Øresund Jacket ½ price');
    expect(parseProductPage(page(ld({ '@type': 'Product', name: 'Fjord &Oslash; Parka &frac12;' })))?.name).toBe('Fjord Ø Parka ½');
  });

  // Issue 11: markup inside <xmp> and <iframe> (and the other raw-text elements) is text to a
  // browser, but the hand-written scanner read the <meta> and <script> tags quoted there.
  it.each(['xmp', 'iframe', 'noembed', 'noframes', 'textarea', 'title', 'style'])('does not read markup inside <%s>', (tag) => {
    const quoted = `<meta property="og:title" content="Quoted"><script type="application/ld+json">{"@type":"Product","name":"Quoted"}</script>`;
    const scanned = scanPage(`<${tag}>${quoted}</${tag.toUpperCase()}><meta property="og:title" content="Real">`);
    expect(scanned.metas.map((attrs) => attrs.get('content'))).toEqual(['Real']);
    expect(scanned.scripts).toEqual([]);
  });

  it('reads nothing after <plaintext>, and a script left open up to the end of the page', () => {
    expect(scanPage('<plaintext><meta content="x"><script>1</script>').metas).toEqual([]);
    expect(scanPage('<script type="Application/LD+JSON; charset=utf-8">{"a": "&amp;"}').scripts).toEqual([{ type: 'application/ld+json', text: '{"a": "&amp;"}' }]);
  });
});

describe('parsePrice', () => {
  it.each([
    [19.99, 19.99],
    ['19.99', 19.99],
    ['$19.99', 19.99],
    ['1,299.00', 1299],
    ['1.299,00', 1299],
    ['49,95 €', 49.95],
    ['1,299', 1299],
    ['1 299,50', 1299.5],
    ['1.234.567', 1234567],
    ['0', 0],
    ['free', null],
    [-5, null],
    [Number.NaN, null],
    [null, null],
    [{ value: 3 }, null],
  ])('%p is %p', (input, expected) => {
    expect(parsePrice(input)).toBe(expected);
  });
});

describe('guessCategory', () => {
  it.each([
    [[], 'Merino Crew Sweater', 'tops'],
    [[], 'Shirt Dress', 'dresses'],
    [[], 'Oxford Dress Shirt', 'tops'],
    [[], 'Chelsea Boots', 'shoes'],
    [[], 'Denim Jacket', 'outerwear'],
    [[], 'Slim Fit Jeans', 'bottoms'],
    [[], 'Classic T-Shirt', 'tops'],
    [[], 'Canvas Tote', 'bags'],
    [[], 'Gift Card', UNCATEGORIZED],
    [['Apparel & Accessories > Shoes > Boots'], 'The Weekender', 'shoes'],
    [['Sale'], 'Wool Scarf', 'accessories'],
  ])('hints %p and name %p guess %p', (hints, name, expected) => {
    expect(guessCategory(hints, name)).toBe(expected);
  });
});

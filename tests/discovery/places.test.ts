/** Places' text and URLs are sanitised before they are scored, cached or returned. */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { PLACE_LIMITS, plainText, safeUrl, sanitisePlace, sanitisePlaces } from '../../domain/discovery/places.ts';
import type { RawPlace } from '../../domain/discovery/types.ts';

const raw = (over: Partial<RawPlace> = {}): RawPlace => ({ source: 'serp', name: 'The Tunnel Bar', description: 'A secret bar', url: 'https://example.com/tunnel', ...over });

describe('plainText', () => {
  it('keeps the text of markup and drops tags, comments, scripts and styles', () => {
    expect(plainText('<b>Hidden</b> <a href="x">Gem</a><!-- tracking --><script>alert(1)</script><style>p{}</style>', 100)).toBe('Hidden Gem');
    expect(plainText('<p>one</p><p>two</p>', 100)).toBe('one two');
  });

  it('decodes references, and a decoded tag is not left as a tag', () => {
    expect(plainText('Fish &amp; Chips &mdash; cheap', 100)).toBe('Fish & Chips — cheap');
    expect(plainText('&lt;img src=x onerror=alert(1)&gt;Bar', 100)).toBe('img src=x onerror=alert(1)Bar');
  });

  it('drops controls and bidirectional overrides, collapses white space, cuts at code points', () => {
    expect(plainText(' a\n\tb\u0007 c\u202e ', 100)).toBe('a b c');
    expect(plainText('🗺🗺🗺', 2)).toBe('🗺🗺');
  });
});

describe('safeUrl', () => {
  it('accepts absolute http and https URLs, normalised', () => {
    expect(safeUrl('https://Example.com/a b')).toBe('https://example.com/a%20b');
    expect(safeUrl(' http://example.com ')).toBe('http://example.com/');
  });

  it('refuses every other scheme, relative URLs, credentials and over-long URLs', () => {
    for (const url of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'data:text/html,<b>x</b>', 'vbscript:x', 'file:///etc/passwd', 'ftp://example.com', '//example.com/x', '/relative', 'not a url', '', 'https://bank.com@evil.example/', 'https://user:pw@example.com/', `https://example.com/${'a'.repeat(PLACE_LIMITS.url)}`]) {
      expect(safeUrl(url)).toBeUndefined();
    }
  });
});

describe('sanitisePlace', () => {
  it('cleans the text, keeps valid coordinates and upvotes, drops invalid ones', () => {
    expect(sanitisePlace(raw({ name: '<i>The</i> Tunnel', description: 'x'.repeat(400), coordinates: { lat: 37.4, lng: -82.5 }, upvotes: 12 }))).toEqual({
      source: 'serp', name: 'The Tunnel', description: 'x'.repeat(PLACE_LIMITS.description), url: 'https://example.com/tunnel', coordinates: { lat: 37.4, lng: -82.5 }, upvotes: 12,
    });
    const odd = sanitisePlace(raw({ coordinates: { lat: 91, lng: 0 }, upvotes: Number.NaN }))!;
    expect(odd.coordinates).toBeUndefined();
    expect(odd.upvotes).toBeUndefined();
  });

  it('drops a place whose URL is unsafe or whose name is empty after cleaning', () => {
    expect(sanitisePlace(raw({ url: 'javascript:alert(1)' }))).toBeUndefined();
    expect(sanitisePlace(raw({ name: '<script>x</script>' }))).toBeUndefined();
    expect(sanitisePlaces([raw(), raw({ url: 'data:x' }), raw({ name: 'Second' })]).map((place) => place.name)).toEqual(['The Tunnel Bar', 'Second']);
  });

  it('property: whatever a provider sends, a kept place has no tag characters or controls and an http(s) URL', () => {
    const text = fc.array(fc.oneof(fc.constantFrom('<', '>', '&lt;', '&gt;', '<b>', '</b>', '<script>', '&#x3c;', '\u0000', '\n', ' '), fc.string({ maxLength: 6 })), { maxLength: 20 }).map((parts) => parts.join(''));
    const url = fc.oneof(fc.webUrl(), fc.constantFrom('javascript:alert(1)', 'data:,x', 'https://a@b.example', ' https://ok.example/x '), fc.string());
    fc.assert(
      fc.property(text, text, url, (name, description, link) => {
        const place = sanitisePlace(raw({ name, description, url: link }));
        if (!place) return;
        for (const value of [place.name, place.description]) {
          expect(value).not.toMatch(/[<>\u0000-\u001F]/);
          expect(value).toBe(value.trim());
        }
        expect(place.name.length).toBeGreaterThan(0);
        expect(new URL(place.url).protocol).toMatch(/^https?:$/);
      }),
      { numRuns: 1000 },
    );
  });
});

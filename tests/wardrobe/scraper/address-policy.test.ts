/** The SSRF rules (pure): every address class, every literal form the URL parser accepts, and the URL checks. */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { parseIp } from '../../../domain/ip.ts';
import { checkAddress, checkTargetUrl, classifyAddress, UrlRefusedError, type AddressClass } from '../../../domain/wardrobe/address-policy.ts';
import * as legacy from './legacy-address-class.ts';

const OFF = { allowLoopback: false };
const ON = { allowLoopback: true };

describe('classifyAddress', () => {
  it.each<[string, AddressClass | undefined]>([
    ['8.8.8.8', 'public'],
    ['93.184.216.34', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.255', 'cgnat'],
    ['100.128.0.1', 'public'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['255.255.255.255', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:8.8.8.8', 'public'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['2002:7f00:1::', 'loopback'],
    ['::127.0.0.1', 'reserved'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456:789a::1', 'unique-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fec0::1', 'private'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'],
    ['2001::1', 'reserved'],
    ['2606:4700:4700::1111', 'public'],
    ['[::1]', 'loopback'],
    ['localhost', undefined],
    ['1.2.3', undefined],
    ['01.2.3.4', undefined],
    ['1::2::3', undefined],
    ['12345::', undefined],
    // Issue 11 (ipaddr.js): IPv4-mapped, 6to4 and NAT64 addresses are what their IPv4 address is.
    ['::ffff:a9fe:a9fe', 'link-local'],
    ['[::ffff:10.0.0.1]', 'private'],
    ['::ffff:0:10.0.0.1', 'reserved'],
    ['2002:a00:1::', 'private'],
    ['2002:c0a8:101::1', 'private'],
    ['2002:a9fe:a9fe::', 'link-local'],
    ['2002:808:808::1', 'public'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['64:ff9b::127.0.0.1', 'loopback'],
    ['64:ff9b::192.168.0.1', 'private'],
    ['64:ff9b::8.8.8.8', 'public'],
    ['64:ff9b:1::a00:1', 'reserved'],
    ['64:ff9b:2::1', 'reserved'],
    // ipaddr.js alone reads ::a.b.c.d (IPv4-compatible) as ::ffff:a.b.c.d, which would make this public.
    ['::8.8.8.8', 'reserved'],
    ['::808:808', 'reserved'],
    // Octal, hex and short IPv4 spellings are not addresses outside a URL (whose parser canonicalises them), not even inside IPv6.
    ['0177.0.0.1', undefined],
    ['010.8.8.8', undefined],
    ['0x7f.0.0.1', undefined],
    ['0x7f000001', undefined],
    ['2130706433', undefined],
    ['127.1', undefined],
    ['::ffff:0177.0.0.1', undefined],
    ['::ffff:010.8.8.8', undefined],
    ['::ffff:0x7f.0.0.1', undefined],
    // Zone ids are dropped, on every kind of address; an IPv4 address has none.
    ['::1%lo', 'loopback'],
    ['[fe80::1%eth0]', 'link-local'],
    ['fe80::1%25eth0', 'link-local'],
    ['::ffff:127.0.0.1%eth0', 'loopback'],
    ['2606:4700:4700::1111%eth0', 'public'],
    ['127.0.0.1%eth0', undefined],
  ])('%s is %s', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });

  it('parses every IPv6 form fast-check writes to the groups the hand-written parser read, and never throws on junk', () => {
    fc.assert(
      fc.property(fc.ipV6(), (address) => {
        expect(parseIp(address)?.toByteArray()).toEqual(legacy.parseIpv6(address)!.flatMap((group) => [group >> 8, group & 0xff]));
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 70 }), (text) => {
        const address = parseIp(text);
        if (address) expect(address.toByteArray().every((byte) => Number.isInteger(byte) && byte >= 0 && byte <= 0xff)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  // The hand-written classifier before ipaddr.js is the oracle: whatever it refused stays refused.
  it('refuses at least every address the hand-written classifier refused (fast-check)', () => {
    const allowed = (kind: string | undefined) => kind === 'public';
    // Random addresses rarely land in a special range, so half of them start with one of its prefixes.
    const prefixes = ['0', '0:0', '0:0:0:0:0:ffff', '0:0:0:0:ffff:0', '64:ff9b', '64:ff9b:0:0:0:0', '64:ff9b:1', '100:0:0:0', '2001:0', '2001:db8', '2002', 'fc00', 'fd00', 'fe80', 'fec0', 'ff02'];
    const group = fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16));
    const prefixed = fc
      .tuple(fc.constantFrom(...prefixes), fc.array(group, { minLength: 8, maxLength: 8 }))
      .map(([prefix, rest]) => [...prefix.split(':'), ...rest].slice(0, 8).join(':'));
    const special = fc.tuple(fc.constantFrom(0, 10, 100, 127, 169, 172, 192, 198, 203, 224, 240, 255), fc.array(fc.nat(255), { minLength: 3, maxLength: 3 })).map(([first, rest]) => [first, ...rest].join('.'));
    const mappedSpecial = fc.tuple(fc.constantFrom('::ffff:', '64:ff9b::', '::', '::ffff:0:'), special).map(([prefix, v4]) => `${prefix}${v4}`);
    const text = fc.oneof(fc.ipV4(), fc.ipV4Extended(), fc.ipV6(), prefixed, special, mappedSpecial, fc.string({ maxLength: 45 }));
    fc.assert(
      fc.property(text, (address) => {
        if (allowed(classifyAddress(address))) expect([address, legacy.classifyAddress(address)]).toEqual([address, 'public']);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('checkAddress', () => {
  // A resolver's answer is connected to as written, so any spelling that is not a plain address is refused, never guessed at.
  it.each(['0177.0.0.1', '010.8.8.8', '127.1', '0x7f000001', '::ffff:010.8.8.8', '::8.8.8.8', 'shop.example.com', ''])('refuses %j', (address) => {
    expect(() => checkAddress(address, 'shop.example.com', OFF)).toThrow(UrlRefusedError);
  });

  it('takes a public address, with or without a zone id', () => {
    expect(() => checkAddress('93.184.216.34', 'shop.example.com', OFF)).not.toThrow();
    expect(() => checkAddress('2606:4700:4700::1111%eth0', 'shop.example.com', OFF)).not.toThrow();
  });
});

const refusal = (url: string, policy = OFF) => {
  try {
    checkTargetUrl(url, policy);
    return 'allowed';
  } catch (error) {
    expect(error).toBeInstanceOf(UrlRefusedError);
    return (error as UrlRefusedError).code;
  }
};

describe('checkTargetUrl', () => {
  it.each([
    ['ftp://shop.example.com/p', 'url_scheme_not_allowed'],
    ['file:///etc/passwd', 'url_scheme_not_allowed'],
    ['javascript:alert(1)', 'url_scheme_not_allowed'],
    ['gopher://127.0.0.1:25/', 'url_scheme_not_allowed'],
    ['data:text/html,<h1>x</h1>', 'url_scheme_not_allowed'],
    ['https://user:pass@shop.example.com/p', 'url_credentials_not_allowed'],
    ['https://user@shop.example.com/p', 'url_credentials_not_allowed'],
    ['not a url', 'url_invalid'],
    ['/relative/path', 'url_invalid'],
    [`https://shop.example.com/${'a'.repeat(2100)}`, 'url_invalid'],
    // Every literal spelling of loopback, private and metadata addresses the URL parser accepts.
    ['http://127.0.0.1/', 'url_not_allowed'],
    ['http://2130706433/', 'url_not_allowed'],
    ['http://0x7f000001/', 'url_not_allowed'],
    ['http://0x7f.0.0.1/', 'url_not_allowed'],
    ['http://0177.0.0.1/', 'url_not_allowed'],
    ['http://127.1/', 'url_not_allowed'],
    ['http://[::1]:8080/', 'url_not_allowed'],
    ['http://[::ffff:127.0.0.1]/', 'url_not_allowed'],
    ['http://[::ffff:7f00:1]/', 'url_not_allowed'],
    ['http://[0:0:0:0:0:ffff:a9fe:a9fe]/latest/meta-data', 'url_not_allowed'],
    ['http://169.254.169.254/latest/meta-data', 'url_not_allowed'],
    ['http://2852039166/', 'url_not_allowed'],
    ['http://10.0.0.1/', 'url_not_allowed'],
    ['http://100.64.1.1/', 'url_not_allowed'],
    ['http://[fd00::1]/', 'url_not_allowed'],
    ['http://[fe80::1]/', 'url_not_allowed'],
    ['http://224.0.0.1/', 'url_not_allowed'],
    ['http://0.0.0.0/', 'url_not_allowed'],
    ['http://0/', 'url_not_allowed'],
    ['http://[::]/', 'url_not_allowed'],
    ['http://0177.1/', 'url_not_allowed'],
    ['http://0x0a.0.0.1/', 'url_not_allowed'],
    ['http://[::ffff:a00:1]/', 'url_not_allowed'],
    ['http://[2002:a9fe:a9fe::]/', 'url_not_allowed'],
    ['http://[64:ff9b::a9fe:a9fe]/latest/meta-data', 'url_not_allowed'],
    ['http://[::8.8.8.8]/', 'url_not_allowed'],
    ['http://[fe80::1%25eth0]/', 'url_invalid'],
    ['https://shop.example.com/p?x=1#frag', 'allowed'],
    ['HTTPS://SHOP.EXAMPLE.COM/p', 'allowed'],
    ['http://93.184.216.34/', 'allowed'],
  ])('%s: %s', (url, code) => {
    expect(refusal(url)).toBe(code);
  });

  it('SCRAPER_ALLOW_LOOPBACK lets loopback through, and nothing else', () => {
    expect(refusal('http://127.0.0.1:8080/p', ON)).toBe('allowed');
    expect(refusal('http://[::1]/p', ON)).toBe('allowed');
    expect(refusal('http://10.0.0.1/p', ON)).toBe('url_not_allowed');
    expect(refusal('http://169.254.169.254/', ON)).toBe('url_not_allowed');
    expect(refusal('file:///etc/passwd', ON)).toBe('url_scheme_not_allowed');
  });

  it('drops the fragment and says whether the host is a literal', () => {
    const checked = checkTargetUrl('https://shop.example.com/p#reviews', OFF);
    expect([checked.url.href, checked.literal]).toEqual(['https://shop.example.com/p', false]);
    expect(checkTargetUrl('http://[2606:4700:4700::1111]/', OFF)).toMatchObject({ host: '2606:4700:4700::1111', literal: true });
  });

  it('refuses with a 400 and says what kind of address, never the resolved one', () => {
    const error = (() => {
      try {
        checkTargetUrl('http://0x7f000001/', OFF);
      } catch (caught) {
        return caught as UrlRefusedError;
      }
    })();
    expect([error?.status, error?.message]).toEqual([400, '127.0.0.1 is a loopback address; only public addresses are fetched.']);
  });
});

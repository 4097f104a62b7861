/** The SSRF rules (pure): every address class, every literal form the URL parser accepts, and the URL checks. */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { checkTargetUrl, classifyAddress, parseIpv6, UrlRefusedError, type AddressClass } from '../../../domain/wardrobe/address-policy.ts';

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
  ])('%s is %s', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });

  it('parses every IPv6 form to eight groups, and rejects junk (fast-check)', () => {
    fc.assert(
      fc.property(fc.ipV6(), (address) => {
        expect(parseIpv6(address)).toHaveLength(8);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 50 }), (text) => {
        const groups = parseIpv6(text);
        if (groups) expect(groups.every((group) => Number.isInteger(group) && group >= 0 && group <= 0xffff)).toBe(true);
      }),
      { numRuns: 300 },
    );
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

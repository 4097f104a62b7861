import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { clientAddress, counterExpiresAt, decide, normaliseAddress, waitMs, windowAt } from '../../domain/rate-limit.ts';

const spec = { name: 'default', limit: 10, windowSeconds: 60 };
const T0 = Date.UTC(2026, 10, 22, 10, 0, 0); // a window boundary for 60 s windows

describe('the sliding-window counter', () => {
  it('admits exactly the limit inside one window when the previous one was empty', () => {
    expect(decide(spec, { previous: 0, current: 9 }, T0 + 30_000)).toMatchObject({ allowed: true, remaining: 0 });
    expect(decide(spec, { previous: 0, current: 10 }, T0 + 30_000)).toMatchObject({ allowed: false, remaining: 0 });
  });

  it("weighs the previous window by how much of it still overlaps", () => {
    // 15 s in, 10 * 0.75 = 7.5 still counts: two requests fit (8.5, 9.5), a third would make 10.5.
    expect(decide(spec, { previous: 10, current: 0 }, T0 + 15_000)).toMatchObject({ allowed: true, remaining: 1 });
    expect(decide(spec, { previous: 10, current: 1 }, T0 + 15_000)).toMatchObject({ allowed: true, remaining: 0 });
    expect(decide(spec, { previous: 10, current: 2 }, T0 + 15_000).allowed).toBe(false);
  });

  it('Retry-After when this window alone is full: the rest of it, then until its weight falls below limit - 1', () => {
    // 45 s left, then 10 * (1 - g) + 1 <= 10 at g = 0.1: 6 s into the next window.
    expect(waitMs(spec, { previous: 0, current: 10 }, T0 + 15_000)).toBe(51_000);
    expect(decide(spec, { previous: 0, current: 10 }, T0 + 15_000).retryAfterSeconds).toBe(51);
  });

  it('Retry-After when the previous window is what holds it back', () => {
    // 10 * (1 - f) + 5 + 1 <= 10 at f = 0.6: 36 s into the window, 21 s from 15 s in.
    expect(waitMs(spec, { previous: 10, current: 5 }, T0 + 15_000)).toBe(21_000);
    expect(decide(spec, { previous: 10, current: 5 }, T0 + 36_000).allowed).toBe(true);
    expect(decide(spec, { previous: 10, current: 5 }, T0 + 35_999).allowed).toBe(false);
  });

  it('a limit of one lets one request per sliding window', () => {
    const one = { ...spec, limit: 1 };
    expect(waitMs(one, { previous: 0, current: 1 }, T0)).toBe(120_000);
    expect(decide(one, { previous: 1, current: 0 }, T0 + 59_999).allowed).toBe(false);
  });

  it('reset is the time left in the window, at least a second', () => {
    expect(decide(spec, { previous: 0, current: 0 }, T0 + 59_500).resetSeconds).toBe(1);
    expect(decide(spec, { previous: 0, current: 0 }, T0 + 1_000).resetSeconds).toBe(59);
  });

  it('counters live through the next window, plus a minute', () => {
    const at = windowAt(T0 + 5_000, 60);
    expect(at).toMatchObject({ startMs: T0, endMs: T0 + 60_000 });
    expect(counterExpiresAt(spec, at.index)).toBe(T0 + 120_000 + 60_000);
  });
});

describe('the client address', () => {
  it('ignores x-forwarded-for unless proxy hops are configured', () => {
    expect(clientAddress('6.6.6.6', '203.0.113.9', 0)).toBe('203.0.113.9');
  });

  it('takes the entry our outermost proxy wrote, never the client-supplied ones to its left', () => {
    expect(clientAddress('6.6.6.6, 7.7.7.7, 198.51.100.4', '10.0.0.1', 1)).toBe('198.51.100.4');
    expect(clientAddress('6.6.6.6, 198.51.100.4, 10.1.1.1', '10.0.0.1', 2)).toBe('198.51.100.4');
  });

  it('falls back to the source address when the header is shorter than the proxy chain', () => {
    expect(clientAddress(undefined, '203.0.113.9', 1)).toBe('203.0.113.9');
    expect(clientAddress('198.51.100.4', '203.0.113.9', 2)).toBe('203.0.113.9');
  });

  it('normalises ports, brackets, zones, case and IPv4-mapped IPv6; groups IPv6 by /64', () => {
    expect(normaliseAddress('198.51.100.4:52311')).toBe('198.51.100.4');
    expect(normaliseAddress('[2001:DB8::1]:443')).toBe('2001:db8:0:0::/64');
    expect(normaliseAddress('2001:db8:0:0:ffff:1:2:3')).toBe('2001:db8:0:0::/64');
    expect(normaliseAddress('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(normaliseAddress('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(normaliseAddress('::1')).toBe('0:0:0:0::/64');
  });

  // Issue 11: parsed by ipaddr.js (domain/ip.ts) since; the same keys as the hand-written parser gave.
  it('keys IPv4-mapped addresses as IPv4 with a zone or a port, and IPv4-compatible ones by their /64', () => {
    expect(normaliseAddress('::ffff:10.0.0.1%eth0')).toBe('10.0.0.1');
    expect(normaliseAddress('[::ffff:c000:201]:443')).toBe('192.0.2.1');
    expect(normaliseAddress('  [::1%lo]:80 ')).toBe('0:0:0:0::/64');
    expect(normaliseAddress('::192.0.2.1')).toBe('0:0:0:0::/64');
    expect(normaliseAddress('2002:C0A8:101::1')).toBe('2002:c0a8:101:0::/64');
  });

  it('keys every IPv4 address as itself and every other IPv6 address by its /64 (fast-check)', () => {
    fc.assert(fc.property(fc.ipV4(), (address) => expect(normaliseAddress(address)).toBe(address)), { numRuns: 300 });
    fc.assert(
      fc.property(fc.ipV6(), (address) => expect(normaliseAddress(address)).toMatch(/^([0-9a-f]{1,4}:){4}:\/64$|^(\d{1,3}\.){3}\d{1,3}$/)),
      { numRuns: 300 },
    );
  });

  it('puts octal, hex and short IPv4 spellings in the shared bucket too, however they are wrapped', () => {
    for (const spelled of ['0177.0.0.1', '0x7f.0.0.1', '127.1', '2130706433', '::ffff:0177.0.0.1', '[0x7f000001]:80', '127.0.0.1%eth0']) {
      expect(normaliseAddress(spelled)).toBe('unknown');
    }
  });

  it('puts anything unparseable in one shared bucket', () => {
    for (const junk of ['', 'not-an-ip', '999.1.1.1', '1:2:3:4:5:6:7:8:9', '::1::2', `${'a'.repeat(500)}`, '1.2.3.4, 5.6.7.8']) {
      expect(normaliseAddress(junk)).toBe('unknown');
    }
  });
});

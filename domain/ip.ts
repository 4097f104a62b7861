/**
 * IP literals, parsed by ipaddr.js (one of the pure parsing libraries domain/ may use:
 * docs/architecture.md section 1), strictly: an IPv4 address is four decimal octets without
 * leading zeros (the URL parser has already turned `0x7f.1`, `0177.0.0.1` and `2130706433` into
 * that form; anywhere else such spellings are not addresses), an IPv6 address may be bracketed
 * and may carry a zone id, which is dropped.
 */
import ipaddr from 'ipaddr.js';

export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

/** Longer than any literal with a sensible zone id; keeps ipaddr.js's regular expressions off long junk. */
const MAX_LITERAL = 64;

/** The address in `text`, or undefined when `text` is not an IP literal. */
export function parseIp(text: string): IpAddress | undefined {
  if (text.length > MAX_LITERAL) return undefined;
  let body = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (!body.includes(':')) return ipaddr.IPv4.isValidFourPartDecimal(body) ? ipaddr.IPv4.parse(body) : undefined;
  const zone = body.indexOf('%');
  if (zone >= 0) body = body.slice(0, zone);
  // A dotted IPv4 tail becomes two hex groups here: ipaddr.js would take octal and hex octets in
  // it, and it reads `::a.b.c.d` (IPv4-compatible) as `::ffff:a.b.c.d` (IPv4-mapped).
  const lastColon = body.lastIndexOf(':');
  const tail = body.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (!ipaddr.IPv4.isValidFourPartDecimal(tail)) return undefined;
    const [a, b, c, d] = ipaddr.IPv4.parse(tail).octets as [number, number, number, number];
    body = `${body.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  return ipaddr.IPv6.isValid(body) ? ipaddr.IPv6.parse(body) : undefined;
}

/** The IPv4 address carried in groups `group` and `group + 1` of an IPv6 address. */
export function embeddedIpv4(address: ipaddr.IPv6, group: number): ipaddr.IPv4 {
  const [hi, lo] = [address.parts[group]!, address.parts[group + 1]!];
  return new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
}

export const isIpv6 = (address: IpAddress): address is ipaddr.IPv6 => address.kind() === 'ipv6';

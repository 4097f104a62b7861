/**
 * The scraper's IP classifier as it was before ipaddr.js (issue 11), kept only as an oracle:
 * address-policy.test.ts proves the new one refuses at least everything this one refused.
 */
export type LegacyClass = 'public' | 'loopback' | 'private' | 'link-local' | 'unique-local' | 'cgnat' | 'multicast' | 'unspecified' | 'reserved';

/** Four octets of a dotted-decimal IPv4 address, or undefined (URL parsing already turned 0x7f.1 and 2130706433 into this form). */
export function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const octets = parts.map((part) => (/^(0|[1-9]\d{0,2})$/.test(part) ? Number(part) : NaN));
  return octets.every((octet) => octet <= 255) ? octets : undefined;
}

/** Eight 16-bit groups of an IPv6 address (brackets and a zone id allowed, an embedded dotted IPv4 tail too), or undefined. */
export function parseIpv6(text: string): number[] | undefined {
  let body = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const zone = body.indexOf('%');
  if (zone >= 0) body = body.slice(0, zone);
  if (!body.includes(':') || body.length > 45) return undefined;
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (const [index, piece] of pieces.entries()) {
      if (index === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (!v4) return undefined;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) out.push(parseInt(piece, 16));
      else return undefined;
    }
    return out;
  };
  const head = groupsOf(halves[0]!);
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : [];
  if (!head || !tail) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  const missing = 8 - head.length - tail.length;
  return missing >= 1 ? [...head, ...new Array<number>(missing).fill(0), ...tail] : undefined;
}

const inV4 = (octets: readonly number[], prefix: readonly number[], bits: number): boolean => {
  const value = ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0;
  const base = ((prefix[0]! << 24) | ((prefix[1] ?? 0) << 16) | ((prefix[2] ?? 0) << 8) | (prefix[3] ?? 0)) >>> 0;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return (value & mask) === (base & mask);
};

export function classifyIpv4(octets: readonly number[]): LegacyClass {
  if (inV4(octets, [0], 8)) return 'unspecified';
  if (inV4(octets, [127], 8)) return 'loopback';
  if (inV4(octets, [10], 8) || inV4(octets, [172, 16], 12) || inV4(octets, [192, 168], 16)) return 'private';
  if (inV4(octets, [169, 254], 16)) return 'link-local';
  if (inV4(octets, [100, 64], 10)) return 'cgnat';
  if (inV4(octets, [224], 4)) return 'multicast';
  // IETF protocol assignments, documentation, benchmarking, reserved and broadcast.
  if (inV4(octets, [192, 0, 0], 24) || inV4(octets, [192, 0, 2], 24) || inV4(octets, [198, 51, 100], 24) || inV4(octets, [203, 0, 113], 24)) return 'reserved';
  if (inV4(octets, [198, 18], 15) || inV4(octets, [240], 4)) return 'reserved';
  return 'public';
}

const embeddedV4 = (groups: readonly number[], high: number, low: number) => [groups[high]! >> 8, groups[high]! & 0xff, groups[low]! >> 8, groups[low]! & 0xff];

export function classifyIpv6(groups: readonly number[]): LegacyClass {
  const [g0, g1] = [groups[0]!, groups[1]!];
  const zeroUpTo = (n: number) => groups.slice(0, n).every((group) => group === 0);
  if (groups.every((group) => group === 0)) return 'unspecified';
  if (zeroUpTo(7) && groups[7] === 1) return 'loopback';
  // IPv4-mapped (::ffff:a.b.c.d) and the NAT64 well-known prefix (64:ff9b::/96) reach the IPv4 address inside.
  if (zeroUpTo(5) && groups[5] === 0xffff) return classifyIpv4(embeddedV4(groups, 6, 7));
  if (g0 === 0x64 && g1 === 0xff9b && groups.slice(2, 6).every((group) => group === 0)) return classifyIpv4(embeddedV4(groups, 6, 7));
  // 6to4 (2002::/16) carries an IPv4 address in its next 32 bits.
  if (g0 === 0x2002) return classifyIpv4(embeddedV4(groups, 1, 2));
  // IPv4-compatible (::a.b.c.d, deprecated), SIIT (::ffff:0:a.b.c.d) and the rest of ::/8.
  if (g0 === 0 && g1 === 0) return 'reserved';
  if ((g0 & 0xfe00) === 0xfc00) return 'unique-local';
  if ((g0 & 0xffc0) === 0xfe80) return 'link-local';
  // Site-local (fec0::/10, deprecated but still routed inside some networks).
  if ((g0 & 0xffc0) === 0xfec0) return 'private';
  if ((g0 & 0xff00) === 0xff00) return 'multicast';
  // Teredo (2001::/32), documentation (2001:db8::/32), NAT64 local use (64:ff9b:1::/48), discard (100::/64).
  if ((g0 === 0x2001 && (g1 === 0 || g1 === 0xdb8)) || (g0 === 0x64 && g1 === 0xff9b) || (g0 === 0x100 && groups.slice(1, 4).every((group) => group === 0))) return 'reserved';
  return 'public';
}

/** The class of an IP address in text form; undefined when the text is not an IP address. */
export function classifyAddress(text: string): LegacyClass | undefined {
  const v4 = parseIpv4(text);
  if (v4) return classifyIpv4(v4);
  const v6 = parseIpv6(text);
  return v6 ? classifyIpv6(v6) : undefined;
}


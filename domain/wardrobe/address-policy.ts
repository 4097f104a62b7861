/**
 * Which URLs and addresses the product scraper may fetch (SSRF rules). Pure: the URL is checked
 * here before anything is resolved, and every address a hostname resolves to is checked here
 * before a connection is made to it (the fetch adapter connects to exactly the checked address).
 */
import ipaddr from 'ipaddr.js';
import { AppError } from '../errors.ts';
import { embeddedIpv4, isIpv6, parseIp, type IpAddress } from '../ip.ts';

/** What kind of network an address belongs to; only `public` is fetched (and `loopback` when a test allows it). */
export type AddressClass = 'public' | 'loopback' | 'private' | 'link-local' | 'unique-local' | 'cgnat' | 'multicast' | 'unspecified' | 'reserved';

export interface AddressPolicy {
  /** SCRAPER_ALLOW_LOOPBACK: tests serve pages from 127.0.0.1. Off by default. */
  allowLoopback: boolean;
}

/** Stable refusal codes (400): the client's URL, or a redirect it led to, is not fetched. */
export type RefusalCode = 'url_invalid' | 'url_scheme_not_allowed' | 'url_credentials_not_allowed' | 'url_not_allowed';

export class UrlRefusedError extends AppError {
  constructor(code: RefusalCode, message: string) {
    super(400, code, message);
    this.name = 'UrlRefusedError';
  }
}

/** The longest URL taken (as an item's imageUrl; browsers and CDNs stay well under it). */
export const MAX_URL_LENGTH = 2048;

// ---------------------------------------------------------------- IP literals

/** ipaddr.js's ranges by name. A name not listed here (one a later version adds) is `reserved`: refused. */
const V4_RANGES: Readonly<Record<string, AddressClass>> = {
  unicast: 'public', unspecified: 'unspecified', loopback: 'loopback', private: 'private', linkLocal: 'link-local',
  carrierGradeNat: 'cgnat', multicast: 'multicast', broadcast: 'reserved', reserved: 'reserved',
};
const V6_RANGES: Readonly<Record<string, AddressClass>> = {
  unicast: 'public', unspecified: 'unspecified', loopback: 'loopback', uniqueLocal: 'unique-local', linkLocal: 'link-local',
  // Site-local (fec0::/10, deprecated but still routed inside some networks).
  deprecatedSiteLocal: 'private', multicast: 'multicast',
};

// Unicast to ipaddr.js, refused here: the rest of ::/32 (IPv4-compatible ::a.b.c.d, deprecated)
// and of 64:ff9b::/32 (around the NAT64 prefixes).
const V6_RESERVED = [ipaddr.IPv6.parseCIDR('::/32'), ipaddr.IPv6.parseCIDR('64:ff9b::/32')];
const NAT64_WELL_KNOWN = ipaddr.IPv6.parseCIDR('64:ff9b::/96');

function classifyIp(address: IpAddress): AddressClass {
  if (!isIpv6(address)) return V4_RANGES[address.range()] ?? 'reserved';
  const range = address.range();
  // IPv4-mapped (::ffff:a.b.c.d) and the NAT64 well-known prefix reach the IPv4 address in the
  // last 32 bits, 6to4 (2002::/16) the one in the 32 bits after the prefix.
  if (range === 'ipv4Mapped' || address.match(NAT64_WELL_KNOWN)) return classifyIp(embeddedIpv4(address, 6));
  if (range === '6to4') return classifyIp(embeddedIpv4(address, 1));
  if (range === 'unicast' && V6_RESERVED.some((cidr) => address.match(cidr))) return 'reserved';
  return V6_RANGES[range] ?? 'reserved';
}

/** The class of an IP address in text form; undefined when the text is not an IP address (see domain/ip.ts for the forms taken). */
export function classifyAddress(text: string): AddressClass | undefined {
  const address = parseIp(text);
  return address && classifyIp(address);
}

export const isAllowedClass = (kind: AddressClass, policy: AddressPolicy) => kind === 'public' || (kind === 'loopback' && policy.allowLoopback);

const described = (kind: AddressClass) => (kind === 'unspecified' ? 'an unspecified' : `a ${kind}`);

/**
 * Refuses an address (a literal in the URL, or one a hostname resolved to) that is not allowed.
 * The message names the class, not a resolved address: internal DNS answers are not echoed.
 */
export function checkAddress(address: string, host: string, policy: AddressPolicy): void {
  const kind = classifyAddress(address);
  if (kind === undefined) throw new UrlRefusedError('url_not_allowed', `${host} did not resolve to an IP address.`);
  if (isAllowedClass(kind, policy)) return;
  const literal = address === host.replace(/^\[|\]$/g, '');
  throw new UrlRefusedError('url_not_allowed', `${host} ${literal ? 'is' : 'resolves to'} ${described(kind)} address; only public addresses are fetched.`);
}

// ---------------------------------------------------------------- URLs

export interface CheckedUrl {
  url: URL;
  /** The hostname without IPv6 brackets. */
  host: string;
  /** Set when the hostname is an IP literal: no DNS step, the literal itself was checked. */
  literal: boolean;
}

/**
 * The URL as it will be fetched, or a refusal: http(s) only, no user name or password, and an
 * IP literal host (in any form the URL parser accepts: decimal, hex, octal, IPv6, mapped) must
 * be allowed. A hostname still has to pass checkAddress for every address it resolves to.
 */
export function checkTargetUrl(text: string, policy: AddressPolicy): CheckedUrl {
  if (text.length > MAX_URL_LENGTH || !URL.canParse(text)) throw new UrlRefusedError('url_invalid', 'The URL is not a valid absolute URL.');
  const url = new URL(text);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UrlRefusedError('url_scheme_not_allowed', `Only http and https URLs are fetched, not ${url.protocol.slice(0, 20)}.`);
  if (url.username || url.password) throw new UrlRefusedError('url_credentials_not_allowed', 'A URL with a user name or password is not fetched.');
  if (!url.hostname) throw new UrlRefusedError('url_invalid', 'The URL has no host.');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const literal = classifyAddress(host) !== undefined;
  if (literal) checkAddress(host, url.hostname, policy);
  url.hash = '';
  return { url, host, literal };
}

/**
 * The accounts service's cryptography, all node:crypto: scrypt password hashes, salted HMAC
 * PIN hashes, opaque refresh tokens stored as SHA-256, and the hashed keys that stand in for
 * e-mail addresses in document ids. Every comparison is constant-time on fixed-length digests.
 * And the refresh grace window's sealed copy of a session: a key only the old token yields.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';
import { normalizePassword } from '../../domain/identity.ts';
import type { ScryptParams } from './settings.ts';

const KEY_BYTES = 32;
const SALT_BYTES = 16;

function derive(password: string, salt: Buffer, { N, r, p }: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // Async scrypt runs on the libuv pool, so a login never blocks the event loop for its ~80 ms.
    scrypt(normalizePassword(password), salt, KEY_BYTES, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** `scrypt$N$r$p$salt$hash`, salt and hash in base64url. */
export async function hashPassword(password: string, params: ScryptParams): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

interface ParsedHash {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

function parseHash(stored: string): ParsedHash | undefined {
  const [scheme, n, r, p, salt, key, ...rest] = stored.split('$');
  if (scheme !== 'scrypt' || rest.length || !n || !r || !p || !salt || !key) return undefined;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  // Bounds keep a corrupt or planted record from costing unbounded memory.
  const powerOfTwo = Number.isInteger(params.N) && params.N >= 2 && params.N <= 2 ** 20 && (params.N & (params.N - 1)) === 0;
  if (!powerOfTwo || !Number.isInteger(params.r) || params.r < 1 || params.r > 32 || !Number.isInteger(params.p) || params.p < 1 || params.p > 16) return undefined;
  const parsed = { params, salt: Buffer.from(salt, 'base64url'), key: Buffer.from(key, 'base64url') };
  return parsed.salt.length >= SALT_BYTES && parsed.key.length === KEY_BYTES ? parsed : undefined;
}

/** Whether `password` matches; `upgrade` when it does but the hash was made with other parameters. */
export async function verifyPassword(password: string, stored: string, current: ScryptParams): Promise<{ ok: boolean; upgrade: boolean }> {
  const parsed = parseHash(stored);
  if (!parsed) return { ok: false, upgrade: false };
  const key = await derive(password, parsed.salt, parsed.params);
  const ok = timingSafeEqual(key, parsed.key);
  const { N, r, p } = parsed.params;
  return { ok, upgrade: ok && (N !== current.N || r !== current.r || p !== current.p) };
}

/** A PIN of `length` uniformly random digits (leading zeros included). */
export function newPin(length: number): string {
  return String(randomInt(0, 10 ** length)).padStart(length, '0');
}

/** HMAC-SHA256 keyed by a fresh per-record salt: the stored record never holds the PIN. */
export function hashPin(pin: string): { salt: string; pinHash: string } {
  const salt = randomBytes(SALT_BYTES);
  return { salt: salt.toString('base64url'), pinHash: createHmac('sha256', salt).update(pin).digest('base64url') };
}

export function pinMatches(pin: string, salt: string, pinHash: string): boolean {
  const expected = Buffer.from(pinHash, 'base64url');
  const actual = createHmac('sha256', Buffer.from(salt, 'base64url')).update(pin).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** An opaque refresh token: 32 random bytes, base64url (43 characters). */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

/** A high-entropy token needs no salt or stretching: SHA-256 is enough to make a stolen table useless. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** The id that stands for a normalised address: addresses never appear in ids, keys or URLs. */
export function emailKey(normalizedEmail: string): string {
  return createHash('sha256').update(`portico:email:${normalizedEmail}`).digest('base64url');
}

/**
 * The key that seals a rotation's answer for its grace window, derived from the refresh token
 * that was rotated (HKDF; the token has 256 bits of entropy). The server keeps only that token's
 * hash, so what it stores cannot be opened without the token a retrying client presents.
 */
function graceKey(oldToken: string, familyId: string): Buffer {
  return Buffer.from(hkdfSync('sha256', oldToken, 'portico.refresh-grace', familyId, KEY_BYTES));
}

/** AES-256-GCM: `iv.ciphertext.tag`, base64url. */
export function sealWithToken(oldToken: string, familyId: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', graceKey(oldToken, familyId), iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [iv, body, cipher.getAuthTag()].map((part) => part.toString('base64url')).join('.');
}

/** The sealed text, or undefined when it was not sealed with this token (or was altered). */
export function openWithToken(oldToken: string, familyId: string, sealed: string): string | undefined {
  const [iv, body, tag] = sealed.split('.').map((part) => Buffer.from(part, 'base64url'));
  if (!iv || !body || !tag || iv.length !== 12 || tag.length !== 16) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', graceKey(oldToken, familyId), iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

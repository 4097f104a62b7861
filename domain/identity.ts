/**
 * Pure rules of the accounts service: e-mail normalisation, PIN format and lifetime, the
 * password policy, and the refresh-token family state machine. Hashing and randomness live in
 * handlers/identity/secrets.ts (node:crypto); this module only decides.
 */
import type { FieldProblem } from './errors.ts';

/** Issues access tokens; implemented by the token service and injected into the accounts handlers. */
export interface AccessTokenIssuer {
  /** `idp`: the trusted issuer whose user this is (not a Portico account); `name`: their display name; `ttlSeconds`: a lifetime other than the configured one. */
  issueAccessToken(input: { userId: string; email?: string; name?: string; roles?: readonly string[]; idp?: string; ttlSeconds?: number }): Promise<{ accessToken: string; expiresIn: number; tokenType: 'Bearer' }>;
}

/** Checks a third party's ID token (Google's) and names its user (`name`: their display name, when the token has one). */
export interface IdTokenVerifier {
  readonly issuer: string;
  verifyAccessToken(token: string): Promise<{ userId: string; email?: string; name?: string }>;
}

// ---------------------------------------------------------------- e-mail addresses

const MAX_EMAIL_LENGTH = 254; // RFC 5321 path limit
const MAX_LOCAL_LENGTH = 64;
// Printable, no spaces, exactly one @, a dotted domain of letters, digits and hyphens (IDNs arrive as punycode or UTF-8 letters).
const LOCAL_PART = /^[^\s@"(),:;<>[\\\]\u0000-\u001F\u007F]+$/u;
const DOMAIN_LABEL = /^(?!-)[\p{L}\p{N}-]{1,63}(?<!-)$/u;

/**
 * The canonical form of an address, or undefined when it is not one. Lower-cased as a whole:
 * RFC 5321 lets the local part be case-sensitive, but no mainstream provider treats it so, and
 * two accounts for `Ann@x.io` and `ann@x.io` would be a support problem. Dots and `+tags` are
 * kept, because which providers ignore them is provider policy, not a standard.
 */
export function normalizeEmail(input: string): string | undefined {
  const email = input.normalize('NFC').trim().toLowerCase();
  if (email.length === 0 || email.length > MAX_EMAIL_LENGTH) return undefined;
  const at = email.lastIndexOf('@');
  if (at <= 0 || email.indexOf('@') !== at) return undefined;
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local.length > MAX_LOCAL_LENGTH || !LOCAL_PART.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) return undefined;
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((label) => DOMAIN_LABEL.test(label))) return undefined;
  return email;
}

/** An address fit for a log line: `a***@example.com` (the domain helps operations, the mailbox is personal). */
export function redactEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 0) return '***';
  return `${email.slice(0, Math.min(1, at))}***${email.slice(at)}`;
}

// ---------------------------------------------------------------- PINs

export const PIN_MIN_LENGTH = 6;
export const PIN_MAX_LENGTH = 8;
/** Guesses per PIN; the next one (even a right one) is refused, so a PIN falls to guessing with odds of 5 in 10^length. */
export const PIN_MAX_ATTEMPTS = 5;

/** The PIN part of a pin record (the record also carries the request-rate window). */
export interface PinState {
  /** Absent once the PIN is used. */
  pinHash?: string | null;
  attempts: number;
  /** Epoch ms. */
  pinExpiresAt: number;
}

/** Whether a PIN may still be tried. Every failure looks the same to the caller: `invalid_pin`. */
export function pinUsable(state: PinState | undefined, nowMs: number): boolean {
  return state !== undefined && Boolean(state.pinHash) && state.pinExpiresAt > nowMs && state.attempts < PIN_MAX_ATTEMPTS;
}

/** How many PINs an address may be sent per window: bounds mail-bombing and guessing across fresh PINs. */
export interface PinWindow {
  windowStart: number;
  sentInWindow: number;
}
export const PIN_WINDOW_MS = 60 * 60 * 1000;

/** The window after one more send, or undefined when the address has had its quota for this window. */
export function nextPinWindow(previous: PinWindow | undefined, nowMs: number, maxPerWindow: number): PinWindow | undefined {
  if (!previous || previous.windowStart + PIN_WINDOW_MS <= nowMs) return { windowStart: nowMs, sentInWindow: 1 };
  if (previous.sentInWindow >= maxPerWindow) return undefined;
  return { windowStart: previous.windowStart, sentInWindow: previous.sentInWindow + 1 };
}

// ---------------------------------------------------------------- passwords

export const PASSWORD_MAX_LENGTH = 256;

/**
 * The password policy (NIST SP 800-63B): length, not the address itself; no composition rules.
 * Lengths count code points of the NFC form, the form that is hashed, so an accented letter
 * counts once however the keyboard encoded it.
 */
export function passwordProblems(password: string, minLength: number, email?: string): FieldProblem[] {
  const normalized = normalizePassword(password);
  const length = [...normalized].length;
  const problems: FieldProblem[] = [];
  if (length < minLength) problems.push({ pointer: '/body/password', detail: `must be at least ${minLength} characters` });
  if (length > PASSWORD_MAX_LENGTH) problems.push({ pointer: '/body/password', detail: `must be at most ${PASSWORD_MAX_LENGTH} characters` });
  if (email && problems.length === 0) {
    const lower = normalized.toLowerCase();
    if (lower === email || lower === email.slice(0, email.lastIndexOf('@'))) problems.push({ pointer: '/body/password', detail: 'must not be the e-mail address' });
  }
  return problems;
}

/** The form that is hashed: NFC, so the same password typed on two systems verifies on both. */
export function normalizePassword(password: string): string {
  return password.normalize('NFC');
}

// ---------------------------------------------------------------- refresh-token families

/**
 * One login's chain of refresh tokens. Only `current` (a token hash) is valid; each use rotates
 * it. Presenting any other token of the family means a copy leaked (or two clients raced): the
 * whole family is revoked, so the thief and the victim are both signed out. One exception: the
 * token just rotated away (`previous`), presented again within the grace window, is a client
 * retrying a refresh whose answer it lost; it gets that same answer again (`replay`).
 */
export interface RefreshFamilyState {
  current: string;
  generation: number;
  revokedAt?: string | null;
  /** Epoch ms: the login ends (a sliding window, renewed by each rotation). */
  expiresAt?: number;
  /** The hash `current` replaced, and until when (epoch ms) presenting it replays the rotation. */
  previous?: string | null;
  graceUntil?: number | null;
}

export type RefreshDecision =
  | { action: 'rotate' }
  /** The just-rotated token, again, within the grace window: answer the rotation's session again. */
  | { action: 'replay' }
  /** The token was valid once but has been rotated (or is racing a rotation): revoke the family. */
  | { action: 'revoke'; reason: 'reuse' }
  /** Nothing to do but refuse: unknown, expired, or already revoked. */
  | { action: 'refuse' };

export function decideRefresh(family: RefreshFamilyState | undefined, presentedHash: string, nowMs: number = Date.now()): RefreshDecision {
  if (!family || family.revokedAt) return { action: 'refuse' };
  if (family.expiresAt !== undefined && family.expiresAt <= nowMs) return { action: 'refuse' };
  if (family.current === presentedHash) return { action: 'rotate' };
  if (family.previous === presentedHash && (family.graceUntil ?? 0) > nowMs) return { action: 'replay' };
  return { action: 'revoke', reason: 'reuse' };
}

/**
 * The identity service's Cosmos containers, its documents and their repositories. Every
 * document is its own partition (pk `id`), so every lookup is a point read and every write a
 * single-document ETag-guarded operation; no query, no cross-partition transaction. No id holds
 * an e-mail address: addresses are keyed by `emailKey` (a SHA-256), tokens by their SHA-256,
 * users by random UUIDs.
 *
 * - `accounts`          id = user id (UUID): the address and the password hash.
 * - `account-emails`    id = emailKey: the uniqueness claim, pointing at the user id. Created
 *                       after the account, so a crash in between leaves an unreachable account,
 *                       never an address that can neither sign up nor sign in.
 * - `pins`              id = emailKey: the one live PIN (hashed) for an address, its purpose
 *                       (sign-up or password reset), its attempts, and the per-address sending
 *                       window (shared by both purposes); expires with the later of both.
 * - `refresh-families`  id = family id (UUID): one per login; `current` is the hash of the only
 *                       valid refresh token. Rotation and revocation are ETag-guarded writes of
 *                       this one document, so two racing refreshes cannot both win.
 *                       Google sign-ins are families too, with no account behind them.
 * - `refresh-tokens`    id = token hash: which family a presented token belongs to, kept until it
 *                       expires so that replaying a rotated token is recognised as reuse.
 */
import { AppError, PreconditionFailedError } from '../../domain/errors.ts';
import type { ContainerSpec, Document, DocumentStore, Stored } from '../../domain/ports.ts';

export const accountsContainer: ContainerSpec = { name: 'accounts', partitionKey: 'id' };
export const accountEmailsContainer: ContainerSpec = { name: 'account-emails', partitionKey: 'id' };
export const pinsContainer: ContainerSpec = { name: 'pins', partitionKey: 'id' };
export const refreshFamiliesContainer: ContainerSpec = { name: 'refresh-families', partitionKey: 'id' };
export const refreshTokensContainer: ContainerSpec = { name: 'refresh-tokens', partitionKey: 'id' };

export const identityContainers: readonly ContainerSpec[] = [
  accountsContainer,
  accountEmailsContainer,
  pinsContainer,
  refreshFamiliesContainer,
  refreshTokensContainer,
];

export interface AccountDoc extends Document {
  /** The user id. */
  id: string;
  email: string;
  emailKey: string;
  /** `scrypt$N$r$p$salt$hash`. */
  passwordHash: string;
  createdAt: string;
  updatedAt: string;
}

export interface AccountEmailDoc extends Document {
  /** emailKey(normalised address). */
  id: string;
  userId: string;
  createdAt: string;
}

export type PinPurpose = 'signup' | 'password_reset';

export interface PinDoc extends Document {
  /** emailKey(normalised address). */
  id: string;
  /** What the PIN may confirm; absent on PINs written before resets existed: `signup`. */
  purpose?: PinPurpose;
  /** HMAC-SHA256(salt, pin); null once used. */
  pinHash: string | null;
  salt: string | null;
  attempts: number;
  /** Epoch ms: when the PIN stops working. */
  pinExpiresAt: number;
  /** Epoch ms: the sending window (see domain nextPinWindow). */
  windowStart: number;
  sentInWindow: number;
  createdAt: string;
  /** Epoch ms: the record itself goes when both the PIN and the window have ended. */
  expiresAt: number;
}

export interface RefreshFamilyDoc extends Document {
  id: string;
  userId: string;
  /**
   * Whose user this is: absent for a Portico account (`accounts`), else the trusted issuer's
   * canonical name (Google's), whose users have no account document: the login is the record.
   */
  idp?: string;
  /** A third-party user's verified address at sign-in, answered again by each refresh. */
  email?: string | null;
  /** That user's display name at sign-in (Google's `name`), carried again by each refresh's access token. */
  name?: string;
  /** The hash `current` replaced at the last rotation, and until when (epoch ms) it may replay it. */
  previous?: string | null;
  graceUntil?: number | null;
  /** That rotation's session, sealed with the replaced token (secrets.ts sealWithToken). */
  graceSession?: string | null;
  /** tokenHash of the one valid refresh token. */
  current: string;
  /** How many rotations so far (0 for the login's first token). */
  generation: number;
  createdAt: string;
  rotatedAt: string;
  revokedAt: string | null;
  revokedReason: 'reuse' | 'logout' | 'account_missing' | 'password_reset' | null;
  /** Epoch ms: a sliding window, renewed with each rotation. */
  expiresAt: number;
}

export interface RefreshTokenDoc extends Document {
  /** tokenHash(token). */
  id: string;
  familyId: string;
  userId: string;
  /** tokenHash of the token it replaced; absent for a login's first. */
  parent: string | null;
  generation: number;
  issuedAt: string;
  expiresAt: number;
}

/** The service's five repositories over one document store. */
export function identityRepositories(documents: DocumentStore) {
  return {
    accounts: documents.repository<AccountDoc>(accountsContainer),
    emails: documents.repository<AccountEmailDoc>(accountEmailsContainer),
    pins: documents.repository<PinDoc>(pinsContainer),
    families: documents.repository<RefreshFamilyDoc>(refreshFamiliesContainer),
    refreshTokens: documents.repository<RefreshTokenDoc>(refreshTokensContainer),
  };
}

export type IdentityRepositories = ReturnType<typeof identityRepositories>;

/** A stored document without its ETag, ready to write back. */
export function unstored<T extends Document>(stored: Stored<T>): T {
  const { etag: _etag, ...document } = stored;
  return document as unknown as T;
}

/** 412 (someone wrote first) and 404 (it expired or went meanwhile) both mean "the state I read is gone". */
export const lostRace = (error: unknown): boolean => error instanceof PreconditionFailedError || (error instanceof AppError && error.status === 404);

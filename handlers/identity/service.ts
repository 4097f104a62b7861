/**
 * The accounts service's behaviour (use cases over store.ts), behind the HTTP routes in
 * accounts.routes.ts. Anti-enumeration is the organising rule: whether an address has an account
 * is never visible in a status, a body or (as far as the work done can make it) a timing, unless
 * the caller can read its mailbox.
 */
import { randomUUID } from 'node:crypto';
import type { EmailMessage, EmailSender } from '../../domain/email.ts';
import { AppError, DocumentExistsError, badRequest, forbidden, type FieldProblem } from '../../domain/errors.ts';
import { readModifyWrite } from '../../domain/documents.ts';
import {
  PIN_WINDOW_MS,
  decideRefresh,
  nextPinWindow,
  normalizeEmail,
  passwordProblems,
  pinUsable,
  redactEmail,
  type AccessTokenIssuer,
  type IdTokenVerifier,
} from '../../domain/identity.ts';
import { CLIENT_SESSION_TTL_SECONDS } from '../../middleware/auth/tokens.ts';
import { AuthFailure } from '../../middleware/auth/failure.ts';
import type { Clock, DocumentStore } from '../../domain/ports.ts';
import type { Identity } from '../../middleware/context.ts';
import type { Logger } from '../../middleware/logger.ts';
import { identityRepositories, lostRace, unstored, type PinDoc, type PinPurpose, type RefreshFamilyDoc, type RefreshTokenDoc } from './store.ts';
import { emailKey, hashPassword, hashPin, newPin, newRefreshToken, openWithToken, pinMatches, sealWithToken, tokenHash, verifyPassword } from './secrets.ts';
import type { IdentitySettings } from './settings.ts';

/**
 * What the account service uses. `auth` and `email` are read when a request needs them, so a
 * route that sends no mail never builds the mail sender.
 */
export interface AccountServiceDeps {
  documents: DocumentStore;
  clock: Clock;
  settings: IdentitySettings;
  /**
   * The platform's token service (JWT_SECRET; without it, issuing a token answers 503
   * `not_configured`), and Google's ID-token verifier when GOOGLE_CLIENT_IDS is set.
   */
  auth: { tokens: AccessTokenIssuer; google?: IdTokenVerifier | undefined };
  /** SendGrid, or the development outbox. */
  email: EmailSender;
}

export interface Session {
  /** `email` is null only for a Google user whose address Google did not vouch for. */
  user: { id: string; email: string | null };
  accessToken: string;
  expiresIn: number;
  tokenType: 'Bearer';
  refreshToken: string;
  /** Epoch ms when the tokens were issued; the access token lasts `expiresIn` s from it. */
  issuedAt: number;
  /** Seconds the refresh token lasts from `issuedAt`. */
  refreshExpiresIn: number;
}

/** Who a login belongs to: a Portico account, or a trusted issuer's (Google's) user. */
interface SessionUser {
  id: string;
  email: string | null;
  idp?: string | undefined;
  /** A Google user's display name, carried in their access tokens (GET /api/user/me answers it). */
  name?: string | undefined;
}

/** The shape `auth/login` and its siblings have always answered. */
export type PorticoSession = Pick<Session, 'user' | 'accessToken' | 'expiresIn' | 'tokenType' | 'refreshToken'>;

export function porticoSession({ user, accessToken, expiresIn, tokenType, refreshToken }: Session): PorticoSession {
  return { user, accessToken, expiresIn, tokenType, refreshToken };
}

export interface Profile {
  id: string;
  email: string | null;
  isAdmin: boolean;
}

// One message per failure class, whatever the cause: the answer must not say which check failed.
const invalidPin = () => badRequest('invalid_pin', 'The PIN is wrong, expired or already used. Request a new one.');
const invalidCredentials = () => new AppError(401, 'invalid_credentials', 'The e-mail address or password is wrong.', { headers: { 'www-authenticate': 'Bearer' } });
// The PluckIt clients' words; one answer for unknown, rotated, revoked and expired alike.
const invalidRefreshToken = () => new AppError(401, 'invalid_refresh_token', 'Invalid or expired refresh token.', { headers: { 'www-authenticate': 'Bearer' } });
const googleNotConfigured = () => new AppError(503, 'not_configured', 'Sign-in with Google is not configured (GOOGLE_CLIENT_IDS).');
const accountExists = () => new AppError(409, 'account_exists', 'An account with this e-mail address already exists; sign in instead.');
const validationFailed = (problems: FieldProblem[]) =>
  badRequest('validation_failed', `Invalid body: ${problems.map((p) => `${p.pointer} ${p.detail}`).join('; ')}.`, problems);
const invalidEmail = () => validationFailed([{ pointer: '/body/email', detail: 'is not a valid e-mail address' }]);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_PIN_WRITE_ATTEMPTS = 10;

export function createAccountService(deps: AccountServiceDeps) {
  const { settings, clock } = deps;
  const { accounts, emails, pins, families, refreshTokens } = identityRepositories(deps.documents);

  // Unknown addresses are verified against this, so a failed login costs one scrypt either way.
  // Made on first use with the current parameters (a hash with other ones would time differently).
  let dummy: Promise<string> | undefined;
  const dummyHash = () =>
    (dummy ??= hashPassword(newRefreshToken(), settings.scrypt).catch((error: unknown) => {
      dummy = undefined;
      throw error;
    }));

  async function startSession(user: SessionUser, parent?: { familyId: string; hash: string; generation: number }): Promise<Session> {
    const refreshToken = newRefreshToken();
    const hash = tokenHash(refreshToken);
    const now = clock.now();
    const refreshExpiresIn = settings.refreshTtlDays * 86_400;
    const expiresAt = now.getTime() + refreshExpiresIn * 1000;
    const familyId = parent?.familyId ?? randomUUID();
    const generation = parent ? parent.generation + 1 : 0;
    const tokenDoc: RefreshTokenDoc = { id: hash, familyId, userId: user.id, parent: parent?.hash ?? null, generation, issuedAt: now.toISOString(), expiresAt };
    // A Portico account's token carries its roles; a Google user's names Google and lasts the
    // PluckIt clients' session length (they were built against 1800 s).
    const subject = user.idp
      ? { userId: user.id, ...(user.email ? { email: user.email } : {}), ...(user.name ? { name: user.name } : {}), idp: user.idp, ttlSeconds: CLIENT_SESSION_TTL_SECONDS }
      : { userId: user.id, ...(user.email ? { email: user.email } : {}), roles: settings.pinUserRoles };
    const [access] = await Promise.all([
      deps.auth.tokens.issueAccessToken(subject),
      refreshTokens.create(tokenDoc),
      parent
        ? undefined
        : families.create({
            id: familyId, userId: user.id, ...(user.idp ? { idp: user.idp, email: user.email, ...(user.name ? { name: user.name } : {}) } : {}), current: hash, generation,
            createdAt: now.toISOString(), rotatedAt: now.toISOString(), revokedAt: null, revokedReason: null, expiresAt,
          }),
    ]);
    return { user: { id: user.id, email: user.email }, ...access, refreshToken, issuedAt: now.getTime(), refreshExpiresIn };
  }

  /** The login's user as it stands: a Google user from the family itself, an account from its document. */
  async function familyUser(family: RefreshFamilyDoc): Promise<SessionUser | undefined> {
    if (family.idp) return { id: family.userId, email: family.email ?? null, idp: family.idp, name: family.name };
    const account = await accounts.get(family.userId, family.userId);
    return account && { id: account.id, email: account.email };
  }

  /** True when this call revoked it (false: unknown, or revoked already). */
  async function revokeFamily(familyId: string, reason: NonNullable<RefreshFamilyDoc['revokedReason']>, log: Logger): Promise<boolean> {
    // readModifyWrite answers the document either way; only a write of ours revoked it now.
    let wrote = false;
    const revoked = await readModifyWrite(families, familyId, familyId, (current) => {
      wrote = Boolean(current && !current.revokedAt);
      return wrote && current ? { ...unstored(current), revokedAt: clock.now().toISOString(), revokedReason: reason } : undefined;
    });
    if (!revoked || !wrote) return false;
    const fields = { familyId, userId: revoked.userId, generation: revoked.generation, reason };
    if (reason === 'reuse') log.warn(fields, 'refresh token replayed: the login is revoked');
    else log.info(fields, 'login revoked');
    return true;
  }

  /** Revokes every login of the user (each family's ETag-guarded write; already revoked ones are left). */
  async function revokeAllFamilies(userId: string, reason: NonNullable<RefreshFamilyDoc['revokedReason']>, log: Logger): Promise<boolean> {
    let continuation: string | undefined;
    let any = false;
    do {
      const page = await families.query({ filters: [{ field: 'userId', op: '=', value: userId }], limit: 100, ...(continuation ? { continuation } : {}) });
      for (const family of page.items) if (!family.revokedAt) any = (await revokeFamily(family.id, reason, log)) || any;
      continuation = page.continuation;
    } while (continuation);
    return any;
  }

  /**
   * Checks a PIN and counts the attempt in one ETag-guarded write, so racing guesses cannot exceed
   * the limit. A PIN mailed for another purpose never matches (a reset PIN cannot confirm a sign-up).
   */
  /**
   * Stores a new PIN of `purpose` for the address, replacing any pending one, and mails it; false
   * (nothing stored or sent) past the address's hourly quota, which every purpose shares.
   */
  async function issuePin(key: string, previous: PinDoc | undefined, purpose: PinPurpose, mail: (pin: string) => EmailMessage): Promise<boolean> {
    const nowMs = clock.now().getTime();
    const window = nextPinWindow(previous, nowMs, settings.pinMaxPerHour);
    if (!window) return false;
    const pin = newPin(settings.pinLength);
    const pinExpiresAt = nowMs + settings.pinExpMinutes * 60_000;
    await pins.upsert({
      id: key,
      purpose,
      ...hashPin(pin),
      attempts: 0,
      pinExpiresAt,
      ...window,
      createdAt: new Date(nowMs).toISOString(),
      expiresAt: Math.max(pinExpiresAt, window.windowStart + PIN_WINDOW_MS),
    });
    await deps.email.send(mail(pin));
    return true;
  }

  async function consumePin(key: string, pin: string, purpose: PinPurpose): Promise<void> {
    for (let attempt = 0; attempt < MAX_PIN_WRITE_ATTEMPTS; attempt++) {
      const record = await pins.get(key, key);
      if (!record || !record.salt || !record.pinHash || !pinUsable(record, clock.now().getTime())) throw invalidPin();
      if ((record.purpose ?? 'signup') !== purpose) throw invalidPin();
      const matches = pinMatches(pin, record.salt, record.pinHash);
      // Used: the hash goes (single use) but the record stays, with its sending window.
      const next: PinDoc = matches ? { ...unstored(record), pinHash: null, salt: null } : { ...unstored(record), attempts: record.attempts + 1 };
      try {
        await pins.replace(next, record.etag);
      } catch (error) {
        if (lostRace(error)) continue;
        throw error;
      }
      if (matches) return;
      throw invalidPin();
    }
    throw invalidPin();
  }

  return {
    /**
     * Stores a fresh PIN for the address (replacing any earlier one) and mails it, account or
     * not: the same reads, hash, write and send on both paths, and the same answer. An address
     * with an account gets a mail saying so, with a PIN that only confirms it (409 at confirm).
     */
    async requestPin(rawEmail: string, log: Logger): Promise<void> {
      const email = normalizeEmail(rawEmail);
      if (!email) throw invalidEmail();
      const key = emailKey(email);
      const [claim, previous] = await Promise.all([emails.get(key, key), pins.get(key, key)]);
      const sent = await issuePin(key, previous, 'signup', (pin) => (claim ? existingAccountMail(email, pin, settings.pinExpMinutes) : signUpMail(email, pin, settings.pinExpMinutes)));
      // Past the hourly quota: the same 202, but nothing is sent (bounds mail-bombing and PIN guessing).
      log.info({ email: redactEmail(email) }, sent ? 'sign-up PIN sent' : 'PIN request over the hourly quota: nothing sent');
    },

    async confirmSignup(input: { email: string; pin: string; password: string }, log: Logger): Promise<Session> {
      const email = normalizeEmail(input.email);
      if (!email) throw invalidEmail();
      // Policy first: a weak password must not cost the user their PIN.
      const problems = passwordProblems(input.password, settings.passwordMinLength, email);
      if (problems.length) throw validationFailed(problems);
      const key = emailKey(email);
      await consumePin(key, input.pin, 'signup');
      // Only a correct PIN gets this far: telling "exists" apart needs the mailbox.
      if (await emails.get(key, key)) throw accountExists();
      const passwordHash = await hashPassword(input.password, settings.scrypt);
      const userId = randomUUID();
      const at = clock.now().toISOString();
      await accounts.create({ id: userId, email, emailKey: key, passwordHash, createdAt: at, updatedAt: at });
      try {
        // The claim is the uniqueness check: of two racing sign-ups, one creates it.
        await emails.create({ id: key, userId, createdAt: at });
      } catch (error) {
        if (!(error instanceof DocumentExistsError)) throw error;
        await accounts.delete(userId, userId).catch(() => false);
        throw accountExists();
      }
      log.info({ userId }, 'account created');
      return startSession({ id: userId, email });
    },

    async login(input: { email: string; password: string }, log: Logger): Promise<Session> {
      const dummy = await dummyHash();
      const email = normalizeEmail(input.email);
      const key = email && emailKey(email);
      const claim = key ? await emails.get(key, key) : undefined;
      // An unknown address still costs an account read and a full scrypt, like a known one.
      const userId = claim?.userId ?? randomUUID();
      const account = await accounts.get(userId, userId);
      const verdict = await verifyPassword(input.password, account?.passwordHash ?? dummy, settings.scrypt);
      if (!account || !verdict.ok) throw invalidCredentials();
      if (verdict.upgrade) {
        // The stored hash predates the current parameters: re-hash now that the password is at hand.
        try {
          const upgraded = await hashPassword(input.password, settings.scrypt);
          await readModifyWrite(accounts, account.id, account.id, (current) =>
            current && current.passwordHash === account.passwordHash ? { ...unstored(current), passwordHash: upgraded, updatedAt: clock.now().toISOString() } : undefined,
          );
        } catch (error) {
          log.warn({ userId: account.id, err: error }, 'password hash upgrade failed; will retry at the next login');
        }
      }
      return startSession({ id: account.id, email: account.email });
    },

    /**
     * Mails a password-reset PIN when the address has an account; the same answer either way
     * (the unknown path skips the write and the mail, as the upstream does). The hourly quota is
     * shared with sign-up PINs, and a reset PIN replaces any pending sign-up PIN of the address.
     */
    async requestPasswordReset(rawEmail: string, log: Logger): Promise<void> {
      const email = normalizeEmail(rawEmail);
      if (!email) throw invalidEmail();
      const key = emailKey(email);
      const [claim, previous] = await Promise.all([emails.get(key, key), pins.get(key, key)]);
      if (!claim) {
        log.info({ email: redactEmail(email) }, 'password reset for an address without an account: nothing sent');
        return;
      }
      const sent = await issuePin(key, previous, 'password_reset', (pin) => passwordResetMail(email, pin, settings.pinExpMinutes));
      if (sent) log.info({ userId: claim.userId }, 'password reset PIN sent');
      else log.info({ email: redactEmail(email) }, 'password reset over the hourly quota: nothing sent');
    },

    /** Sets a new password with a reset PIN, signs every other login out, and signs this one in. */
    async confirmPasswordReset(input: { email: string; pin: string; newPassword: string }, log: Logger, passwordPointer = '/body/newPassword'): Promise<Session> {
      const email = normalizeEmail(input.email);
      if (!email) throw invalidEmail();
      const problems = passwordProblems(input.newPassword, settings.passwordMinLength, email).map((problem) => ({ ...problem, pointer: passwordPointer }));
      if (problems.length) throw validationFailed(problems);
      const key = emailKey(email);
      await consumePin(key, input.pin, 'password_reset');
      // A reset PIN is only ever mailed to an account; one erased since then is the same failure.
      const claim = await emails.get(key, key);
      const account = claim ? await accounts.get(claim.userId, claim.userId) : undefined;
      if (!account) throw invalidPin();
      const passwordHash = await hashPassword(input.newPassword, settings.scrypt);
      await readModifyWrite(accounts, account.id, account.id, (current) => (current ? { ...unstored(current), passwordHash, updatedAt: clock.now().toISOString() } : undefined));
      // Whoever knew the old password (or holds a stolen refresh token) is signed out.
      await revokeAllFamilies(account.id, 'password_reset', log);
      log.info({ userId: account.id }, 'password reset');
      return startSession({ id: account.id, email: account.email });
    },

    /**
     * Rotates: the presented token must be its family's current one; anything else revokes the
     * family, except the token just rotated away presented again within REFRESH_GRACE_SECONDS,
     * which answers that rotation's session again (a retried refresh must not sign the user out).
     */
    async refresh(refreshToken: string, log: Logger): Promise<Session> {
      const hash = tokenHash(refreshToken);
      const presented = await refreshTokens.get(hash, hash);
      if (!presented) throw invalidRefreshToken();
      // Twice at most: losing the write to a racing refresh of the same token means re-reading,
      // and the winner's rotation is then this token's grace-window replay.
      for (let attempt = 0; attempt < 2; attempt++) {
        const family = await families.get(presented.familyId, presented.familyId);
        const decision = decideRefresh(family, hash, clock.now().getTime());
        if (!family || decision.action === 'refuse') throw invalidRefreshToken();
        if (decision.action === 'replay') {
          const replayed = family.graceSession ? openWithToken(refreshToken, family.id, family.graceSession) : undefined;
          if (replayed) {
            log.info({ familyId: family.id, generation: family.generation }, 'refresh retried within the grace window: the same session answered');
            return JSON.parse(replayed) as Session;
          }
        }
        if (decision.action !== 'rotate') {
          await revokeFamily(family.id, 'reuse', log);
          throw invalidRefreshToken();
        }
        const user = await familyUser(family);
        if (!user) {
          await revokeFamily(family.id, 'account_missing', log);
          throw invalidRefreshToken();
        }
        // The child token exists before the family points at it, so a crash in between loses nothing.
        const session = await startSession(user, { familyId: family.id, hash, generation: family.generation });
        const now = clock.now().getTime();
        const grace = settings.refreshGraceSeconds > 0
          ? { previous: hash, graceUntil: now + settings.refreshGraceSeconds * 1000, graceSession: sealWithToken(refreshToken, family.id, JSON.stringify(session)) }
          : { previous: null, graceUntil: null, graceSession: null };
        try {
          await families.replace(
            { ...unstored(family), current: tokenHash(session.refreshToken), generation: family.generation + 1, rotatedAt: new Date(now).toISOString(), expiresAt: now + session.refreshExpiresIn * 1000, ...grace },
            family.etag,
          );
        } catch (error) {
          if (!lostRace(error)) throw error;
          continue;
        }
        return session;
      }
      // Rotated by someone else and not replayable: the same token was used twice.
      await revokeFamily(presented.familyId, 'reuse', log);
      throw invalidRefreshToken();
    },

    /** Revokes the token's family; idempotent, and an unknown or expired token is not an error. */
    async logout(refreshToken: string, log: Logger): Promise<void> {
      const hash = tokenHash(refreshToken);
      const presented = await refreshTokens.get(hash, hash);
      if (presented) await revokeFamily(presented.familyId, 'logout', log);
    },

    /**
     * Exchanges a Google ID token (verified against Google's keys, issuer and GOOGLE_CLIENT_IDS)
     * for a Portico login. The user is Google's `sub`; Google users need no account document.
     */
    async signInWithGoogle(idToken: string, log: Logger): Promise<Session> {
      const google = deps.auth.google;
      if (!google) throw googleNotConfigured();
      const user = await google.verifyAccessToken(idToken).catch((error: unknown) => {
        // The answer says only "not valid"; the log says why (a reason code, never the token).
        if (error instanceof AuthFailure) log.warn({ reason: error.reason }, 'Google ID token refused');
        throw error;
      });
      log.info({ userId: user.userId, idp: google.issuer }, 'signed in with a Google ID token');
      return startSession({ id: user.userId, email: user.email ?? null, idp: google.issuer, name: user.name });
    },

    /**
     * Sign-out as the PluckIt clients do it: a refresh token revokes its login; a user id
     * revokes every login of that user, when the refresh token or the caller's bearer proves
     * the caller is that user. A user id alone from someone else is 403 (`caller` throws 401
     * when there is no valid bearer). True when a login was revoked now.
     */
    async revoke(input: { refreshToken?: string | undefined; userId?: string | undefined }, caller: () => Promise<Identity>, log: Logger): Promise<boolean> {
      let proven = false;
      let revoked = false;
      if (input.refreshToken !== undefined) {
        const hash = tokenHash(input.refreshToken);
        const presented = await refreshTokens.get(hash, hash);
        if (presented) {
          revoked = await revokeFamily(presented.familyId, 'logout', log);
          proven = presented.userId === input.userId;
        }
      }
      if (input.userId !== undefined && !proven && input.refreshToken === undefined) {
        const principal = await caller();
        if (principal.userId !== input.userId) throw forbidden("You may revoke only your own sessions.");
        proven = true;
      }
      if (proven && input.userId !== undefined) revoked = (await revokeAllFamilies(input.userId, 'logout', log)) || revoked;
      return revoked;
    },

    async profile(principal: Identity): Promise<Profile> {
      let email = principal.email ?? null;
      // A Portico token normally carries the address; look it up for one that does not.
      if (email === null && principal.via === 'token' && UUID.test(principal.userId)) {
        email = (await accounts.get(principal.userId, principal.userId))?.email ?? null;
      }
      return { id: principal.userId, email, isAdmin: principal.isAdmin };
    },
  };
}

export type AccountService = ReturnType<typeof createAccountService>;

function signUpMail(to: string, pin: string, minutes: number): EmailMessage {
  return {
    to,
    subject: 'Your Portico sign-up code',
    text: [
      `Your Portico sign-up code is ${pin}.`,
      '',
      `It works once and expires in ${minutes} minutes.`,
      'If you did not ask for it, ignore this e-mail: no account is created without the code.',
    ].join('\n'),
  };
}

function passwordResetMail(to: string, pin: string, minutes: number): EmailMessage {
  return {
    to,
    subject: 'Your Portico password reset code',
    text: [
      `Your Portico password reset code is ${pin}.`,
      '',
      `It works once and expires in ${minutes} minutes. Resetting the password signs out every other session.`,
      'If you did not ask for it, ignore this e-mail: your password has not changed.',
    ].join('\n'),
  };
}

/** Same subject as a sign-up mail: a shoulder-surfer or a mail log learns nothing from it. */
function existingAccountMail(to: string, pin: string, minutes: number): EmailMessage {
  return {
    to,
    subject: 'Your Portico sign-up code',
    text: [
      'Someone asked to sign up for Portico with this address, but it already has an account.',
      'If it was you, sign in with your password instead.',
      '',
      `Your code is ${pin}. It only confirms that the account exists, and expires in ${minutes} minutes.`,
      'If it was not you, ignore this e-mail: nothing has changed.',
    ].join('\n'),
  };
}

/**
 * Portico's own access tokens: HS256 JWTs. Every verification pins the algorithm, issuer,
 * audience, `typ`, the required claims and the lifetime (jose checks none of these unless told),
 * and picks the key by `kid`, so a token signed with a retired secret, or naming no key, fails.
 */
import { createHash, randomUUID, type KeyObject } from 'node:crypto';
import { jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { AppError } from '../../domain/errors.ts';
import type { Identity } from '../context.ts';
import { trustedIssuers, type AuthSettings } from './settings.ts';
import { AuthFailure, subjectOf, rolesOf, emailOf, nameOf } from './failure.ts';

/** What a verified token proves; the authenticator adds `isAdmin` from ADMIN_USER_IDS. */
/** `issuedAt` (epoch seconds): a Portico token's `iat`, which the revocation check compares. */
export type VerifiedUser = Omit<Identity, 'isAdmin'> & { issuedAt?: number };

export interface IssuedToken {
  accessToken: string;
  expiresIn: number;
  tokenType: 'Bearer';
}

export interface AccessTokenSubject {
  userId: string;
  email?: string;
  /** The display name to carry (a Google user's `name`), as `name`. */
  name?: string;
  roles?: readonly string[];
  /**
   * The trusted issuer (canonical name, e.g. Google's) whose user this is, when not a Portico
   * account: the token then proves the same identity as that issuer's own token (qualifiedId).
   */
  idp?: string;
  /** Lifetime in seconds, at most maxAccessTtlSeconds; JWT_ACCESS_TTL_SECONDS when absent. */
  ttlSeconds?: number;
}

/**
 * The PluckIt clients' session length (`expires_in` 1800): their sessions ask for it whatever
 * JWT_ACCESS_TTL_SECONDS says, so verification allows it too.
 */
export const CLIENT_SESSION_TTL_SECONDS = 1800;

export interface TokenService {
  /** True when JWT_SECRET is set; otherwise issuance throws 503 and HS256 tokens are refused. */
  readonly enabled: boolean;
  issueAccessToken(subject: AccessTokenSubject): Promise<IssuedToken>;
  /** Resolves the caller, or throws an AuthFailure whose `reason` is a stable audit code. */
  verifyAccessToken(token: string): Promise<VerifiedUser>;
}

export const ACCESS_TOKEN_TYP = 'at+jwt';

/** A short, stable, non-reversible name for a secret, used as the JWT `kid`. */
export function keyId(secret: KeyObject): string {
  return createHash('sha256').update('portico.jwt.kid\0').update(secret.export()).digest('base64url').slice(0, 16);
}

/** The clock access tokens' `iat` and `exp` are read on; revocations.ts compares with it too. */
export const tokenClock: () => number = () => Date.now();

export function createTokenService(settings: AuthSettings, clock: () => number = tokenClock): TokenService {
  const { secret, previousSecret, issuer, audience, accessTtlSeconds, clockToleranceSeconds } = settings.tokens;
  const keys = new Map<string, KeyObject>();
  if (secret) keys.set(keyId(secret), secret);
  if (previousSecret) keys.set(keyId(previousSecret), previousSecret);
  const currentKid = secret ? keyId(secret) : undefined;
  const maxTtlSeconds = Math.max(accessTtlSeconds, CLIENT_SESSION_TTL_SECONDS);
  // Only an issuer this deployment trusts may be named in `idp` (the token is ours, but a setting
  // that stops trusting Google must also stop its users' Portico tokens).
  const idps = new Set(trustedIssuers(settings).map((trusted) => trusted.issuer));

  return {
    enabled: Boolean(secret),

    async issueAccessToken({ userId, email, name, roles = [], idp, ttlSeconds = accessTtlSeconds }) {
      if (!secret || !currentKid) throw new AppError(503, 'not_configured', 'Sign-in with Portico tokens is not configured.');
      if (!subjectOf(userId)) throw new TypeError('issueAccessToken: userId must be a non-empty string without control characters');
      if (idp !== undefined && !idps.has(idp)) throw new TypeError(`issueAccessToken: ${idp} is not a trusted issuer`);
      if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > maxTtlSeconds) throw new TypeError(`issueAccessToken: ttlSeconds must be 1 to ${maxTtlSeconds}`);
      const now = Math.floor(clock() / 1000);
      const claims: JWTPayload = { roles: [...roles] };
      if (email !== undefined) claims.email = email;
      if (name !== undefined) claims.name = name;
      if (idp !== undefined) claims.idp = idp;
      const accessToken = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', typ: ACCESS_TOKEN_TYP, kid: currentKid })
        .setIssuer(issuer)
        .setAudience(audience)
        .setSubject(userId)
        .setIssuedAt(now)
        .setExpirationTime(now + ttlSeconds)
        .setJti(randomUUID())
        .sign(secret);
      return { accessToken, expiresIn: ttlSeconds, tokenType: 'Bearer' };
    },

    async verifyAccessToken(token) {
      if (keys.size === 0) throw new AuthFailure('token_scheme_disabled');
      const { payload } = await jwtVerify(
        token,
        // The kid only selects among our own secrets; it never names a key type or a location.
        async (header) => {
          const key = typeof header.kid === 'string' ? keys.get(header.kid) : undefined;
          if (!key) throw new AuthFailure(header.kid === undefined ? 'kid_missing' : 'kid_unknown');
          return key;
        },
        {
          algorithms: ['HS256'],
          issuer,
          audience,
          typ: ACCESS_TOKEN_TYP,
          requiredClaims: ['exp', 'iat', 'sub'],
          // Caps the lifetime at the longest we issue and refuses an `iat` in the future.
          maxTokenAge: maxTtlSeconds,
          clockTolerance: clockToleranceSeconds,
          currentDate: new Date(clock()),
        },
      ).catch((error: unknown) => {
        throw AuthFailure.from(error);
      });
      const userId = subjectOf(payload.sub);
      if (!userId) throw new AuthFailure('claim_invalid_sub');
      const email = emailOf(payload.email);
      const name = nameOf(payload.name);
      if (payload.idp !== undefined && !idps.has(payload.idp as string)) throw new AuthFailure('claim_invalid_idp');
      // A trusted issuer's user keeps that issuer's qualified id, whichever token proves it.
      const userIssuer = (payload.idp as string | undefined) ?? issuer;
      return { userId, issuer: userIssuer, qualifiedId: `${userIssuer}|${userId}`, via: 'token', roles: rolesOf(payload.roles), issuedAt: payload.iat as number, ...(email ? { email } : {}), ...(name ? { name } : {}) };
    },
  };
}

/**
 * Portico's own access tokens: HS256 JWTs. Every verification pins the algorithm, issuer,
 * audience, `typ`, the required claims and the lifetime (jose checks none of these unless told),
 * and picks the key by `kid`, so a token signed with a retired secret, or naming no key, fails.
 */
import { createHash, randomUUID, type KeyObject } from 'node:crypto';
import { jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { AppError } from '../../domain/errors.ts';
import type { Identity } from '../context.ts';
import type { AuthSettings } from './settings.ts';
import { AuthFailure, subjectOf, rolesOf, emailOf } from './failure.ts';

/** What a verified token proves; the authenticator adds `isAdmin` from ADMIN_USER_IDS. */
export type VerifiedUser = Omit<Identity, 'isAdmin'>;

export interface IssuedToken {
  accessToken: string;
  expiresIn: number;
  tokenType: 'Bearer';
}

export interface TokenService {
  /** True when JWT_SECRET is set; otherwise issuance throws 503 and HS256 tokens are refused. */
  readonly enabled: boolean;
  issueAccessToken(subject: { userId: string; email?: string; roles?: readonly string[] }): Promise<IssuedToken>;
  /** Resolves the caller, or throws an AuthFailure whose `reason` is a stable audit code. */
  verifyAccessToken(token: string): Promise<VerifiedUser>;
}

export const ACCESS_TOKEN_TYP = 'at+jwt';

/** A short, stable, non-reversible name for a secret, used as the JWT `kid`. */
export function keyId(secret: KeyObject): string {
  return createHash('sha256').update('portico.jwt.kid\0').update(secret.export()).digest('base64url').slice(0, 16);
}

export function createTokenService(settings: AuthSettings, clock: () => number = Date.now): TokenService {
  const { secret, previousSecret, issuer, audience, accessTtlSeconds, clockToleranceSeconds } = settings.tokens;
  const keys = new Map<string, KeyObject>();
  if (secret) keys.set(keyId(secret), secret);
  if (previousSecret) keys.set(keyId(previousSecret), previousSecret);
  const currentKid = secret ? keyId(secret) : undefined;

  return {
    enabled: Boolean(secret),

    async issueAccessToken({ userId, email, roles = [] }) {
      if (!secret || !currentKid) throw new AppError(503, 'not_configured', 'Sign-in with Portico tokens is not configured.');
      if (!subjectOf(userId)) throw new TypeError('issueAccessToken: userId must be a non-empty string without control characters');
      const now = Math.floor(clock() / 1000);
      const claims: JWTPayload = { roles: [...roles] };
      if (email !== undefined) claims.email = email;
      const accessToken = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', typ: ACCESS_TOKEN_TYP, kid: currentKid })
        .setIssuer(issuer)
        .setAudience(audience)
        .setSubject(userId)
        .setIssuedAt(now)
        .setExpirationTime(now + accessTtlSeconds)
        .setJti(randomUUID())
        .sign(secret);
      return { accessToken, expiresIn: accessTtlSeconds, tokenType: 'Bearer' };
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
          // Caps the lifetime at the configured one and refuses an `iat` in the future.
          maxTokenAge: accessTtlSeconds,
          clockTolerance: clockToleranceSeconds,
          currentDate: new Date(clock()),
        },
      ).catch((error: unknown) => {
        throw AuthFailure.from(error);
      });
      const userId = subjectOf(payload.sub);
      if (!userId) throw new AuthFailure('claim_invalid_sub');
      const email = emailOf(payload.email);
      return { userId, issuer, qualifiedId: `${issuer}|${userId}`, via: 'token', roles: rolesOf(payload.roles), ...(email ? { email } : {}) };
    },
  };
}

/**
 * Authentication failures carry a stable `reason` for the audit log, separate from what the
 * client is told: the response says only "not valid" or "expired", so an attacker learns
 * nothing about which check stopped them.
 */
import { AppError } from '../../domain/errors.ts';

export type FailureStatus = 401 | 403 | 503;

const DETAILS: Readonly<Record<string, string>> = {
  credentials_missing: 'Authentication is required.',
  token_expired: 'The access token has expired.',
  not_admin: 'This operation is for administrators.',
  idp_unavailable: 'The identity provider cannot be reached; try again shortly.',
};

export class AuthFailure extends AppError {
  readonly reason: string;

  constructor(reason: string, status: FailureStatus = 401, options: { cause?: unknown; retryAfterSeconds?: number } = {}) {
    const detail = DETAILS[reason] ?? (status === 403 ? 'You may not do this.' : 'The credentials are not valid.');
    const headers: Record<string, string> =
      status === 401
        ? // RFC 6750: a bare challenge when nothing was sent, `invalid_token` when something was.
          { 'www-authenticate': reason === 'credentials_missing' ? 'Bearer' : 'Bearer error="invalid_token"' }
        : status === 503
          ? { 'retry-after': String(options.retryAfterSeconds ?? 5) }
          : {};
    super(status, status === 401 ? 'unauthorized' : status === 403 ? 'forbidden' : reason, detail, { headers });
    this.name = 'AuthFailure';
    this.reason = reason;
    if (options.cause !== undefined) this.cause = options.cause;
  }

  /** Maps whatever a verifier threw to a failure; unexpected errors fail closed as 401. */
  static from(error: unknown): AuthFailure {
    if (error instanceof AuthFailure) return error;
    const code = (error as { code?: unknown } | null)?.code;
    const claim = (error as { claim?: unknown } | null)?.claim;
    const why = (error as { reason?: unknown } | null)?.reason;
    switch (code) {
      case 'ERR_JWT_EXPIRED':
        return new AuthFailure(claim === 'iat' ? 'token_too_old' : 'token_expired');
      case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
        return new AuthFailure(`claim_${why === 'missing' ? 'missing' : 'invalid'}_${typeof claim === 'string' ? claim : 'unknown'}`);
      case 'ERR_JOSE_ALG_NOT_ALLOWED':
        return new AuthFailure('alg_not_allowed');
      case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
        return new AuthFailure('signature_invalid');
      case 'ERR_JWS_INVALID':
      case 'ERR_JWT_INVALID':
        return new AuthFailure('token_malformed');
      case 'ERR_JWKS_NO_MATCHING_KEY':
        return new AuthFailure('kid_unknown');
      case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
        return new AuthFailure('kid_ambiguous');
      case 'ERR_JOSE_NOT_SUPPORTED':
        return new AuthFailure('token_unsupported');
      default:
        return new AuthFailure('verification_error', 401, { cause: error });
    }
  }
}

// ---------------------------------------------------------------- claim readers shared by both token kinds

const CONTROL = /\p{Cc}/u;

/** A subject is a non-empty string of at most 256 characters without control characters. */
export function subjectOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= 256 && !CONTROL.test(value) ? value : undefined;
}

/** An array of (at most 100) strings; anything else is no roles at all. */
export function rolesOf(value: unknown): string[] {
  if (!Array.isArray(value) || value.length > 100) return [];
  return value.every((role) => typeof role === 'string' && role.length <= 256) ? [...(value as string[])] : [];
}

export function emailOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.length <= 320 && value.includes('@') && !CONTROL.test(value) ? value : undefined;
}

/** A display name (OIDC `name`): trimmed, 1 to 256 characters, no control characters; else none. */
export function nameOf(value: unknown): string | undefined {
  const name = typeof value === 'string' ? value.trim() : '';
  return name.length > 0 && name.length <= 256 && !CONTROL.test(name) ? name : undefined;
}

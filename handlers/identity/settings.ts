/**
 * The identity service's settings: a pure function of `env`, which the composition root calls
 * through the manifest (at bind time and in `validate`, never at import), validated like the
 * app's own (a bad value stops start-up with a ConfigError naming the variable).
 */
import { ConfigError, integer, list, type Env } from '../../kernel/env.ts';
import { ROLE_NAME } from '../../middleware/auth/roles.ts';
import { parseFrom } from '../../domain/email.ts';
import { PIN_MAX_LENGTH, PIN_MIN_LENGTH } from '../../domain/identity.ts';

export interface ScryptParams {
  /** CPU/memory cost, a power of two. */
  N: number;
  /** Block size. */
  r: number;
  /** Parallelism. */
  p: number;
}

export interface IdentitySettings {
  pinLength: number;
  pinExpMinutes: number;
  /** PIN mails per address per hour; requests past it still answer 202 but send nothing. */
  pinMaxPerHour: number;
  passwordMinLength: number;
  refreshTtlDays: number;
  /**
   * REFRESH_GRACE_SECONDS: for this long after a rotation, presenting the rotated token again
   * answers that rotation's session again (a client retrying a refresh whose answer it lost)
   * instead of revoking the login as a replay. 0 turns it off.
   */
  refreshGraceSeconds: number;
  scrypt: ScryptParams;
  /** SendGrid: both set, or neither (then mail goes to the development outbox). */
  sendgridKey: string | undefined;
  emailFrom: string | undefined;
  /** PIN_USER_ROLES: the roles in every access token Portico issues to its own (e-mail + PIN) accounts. */
  pinUserRoles: readonly string[];
}

/** The roles a Portico account holds unless PIN_USER_ROLES says otherwise (`none` for none). */
export const DEFAULT_PIN_USER_ROLES = ['Voice.Enroll', 'Voice.Synthesize'] as const;

function pinUserRoles(env: Env): readonly string[] {
  if (env.PIN_USER_ROLES?.trim().toLowerCase() === 'none') return [];
  const roles = list(env, 'PIN_USER_ROLES');
  if (roles.length === 0) return DEFAULT_PIN_USER_ROLES;
  const bad = roles.find((role) => !ROLE_NAME.test(role));
  if (bad !== undefined) throw new ConfigError('PIN_USER_ROLES', `has "${bad}", which is not a role name like Voice.Enroll (or write "none")`);
  return Object.freeze([...new Set(roles)]);
}

/**
 * scrypt N = 2^15, r = 8, p = 1: 32 MiB and about 80 ms per hash on the 2-vCPU Xeon this was
 * measured on (2^16: 165 ms, 2^17: 336 ms). PASSWORD_SCRYPT_LOG2N may raise it, never lower it;
 * tests pass a cheaper `scrypt` in the settings object directly. Stored hashes carry their
 * parameters, and a login upgrades a hash made with weaker ones.
 */
export const DEFAULT_SCRYPT: Readonly<ScryptParams> = Object.freeze({ N: 2 ** 15, r: 8, p: 1 });

const ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/**
 * Every variable loadIdentitySettings reads, and no other (the JWT, OIDC, API key and admin
 * settings are the platform's, read in middleware/auth/settings.ts).
 */
export const IDENTITY_VARIABLES = ['PIN_LENGTH', 'PIN_EXP_MINUTES', 'PIN_MAX_PER_HOUR', 'PASSWORD_MIN_LENGTH', 'PASSWORD_SCRYPT_LOG2N', 'REFRESH_TTL_DAYS', 'REFRESH_GRACE_SECONDS', 'SENDGRID_KEY', 'EMAIL_FROM', 'PIN_USER_ROLES'] as const;

export function loadIdentitySettings(env: Env): IdentitySettings {
  const sendgridKey = env.SENDGRID_KEY?.trim() || undefined;
  const emailFrom = env.EMAIL_FROM?.trim() || undefined;
  if (sendgridKey && !emailFrom) throw new ConfigError('EMAIL_FROM', 'is required when SENDGRID_KEY is set');
  if (emailFrom && !ADDRESS.test(parseFrom(emailFrom).email)) {
    throw new ConfigError('EMAIL_FROM', 'must be an address like no-reply@example.com or "Portico <no-reply@example.com>"');
  }
  return Object.freeze({
    pinLength: integer(env, 'PIN_LENGTH', 6, PIN_MIN_LENGTH, PIN_MAX_LENGTH),
    pinExpMinutes: integer(env, 'PIN_EXP_MINUTES', 15, 1, 24 * 60),
    pinMaxPerHour: integer(env, 'PIN_MAX_PER_HOUR', 5, 1, 100),
    // NIST's floor is 8; the ceiling keeps scrypt's input bounded (the API refuses more than 256 anyway).
    passwordMinLength: integer(env, 'PASSWORD_MIN_LENGTH', 10, 8, 128),
    refreshTtlDays: integer(env, 'REFRESH_TTL_DAYS', 30, 1, 365),
    // Long enough for a mobile retry over a bad network; short, since a thief's replay inside it is not detected.
    refreshGraceSeconds: integer(env, 'REFRESH_GRACE_SECONDS', 30, 0, 300),
    scrypt: Object.freeze({ ...DEFAULT_SCRYPT, N: 2 ** integer(env, 'PASSWORD_SCRYPT_LOG2N', 15, 15, 20) }),
    sendgridKey,
    emailFrom,
    pinUserRoles: pinUserRoles(env),
  });
}

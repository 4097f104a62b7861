/**
 * The accounts service: e-mail + PIN sign-up, password login, Google sign-in (the PluckIt
 * clients' token exchange), rotating refresh tokens, logout and revoke,
 * the caller's own profile, and (local host only) the development outbox. The credential
 * routes count against the `auth` rate limit (RATE_LIMIT_AUTH), stricter than the default.
 */
import { defineFunction, type FunctionDef, type HttpTrigger } from '../../kernel/functions.ts';
import {
  clientRefreshRequest,
  clientSessionResponse,
  confirmPasswordResetRequest,
  confirmSignupRequest,
  loginRequest,
  meResponse,
  mobileTokenRequest,
  outboxQuery,
  outboxResponse,
  refreshRequest,
  requestPinRequest,
  requestPinResponse,
  revokeRequest,
  revokeResponse,
  seedConfirmPasswordResetRequest,
  seedSessionResponse,
  sessionResponse,
} from './schemas.ts';

const problem = { description: 'Problem details (application/problem+json)' };
const invalid = { description: 'Validation failed (`validation_failed`), with the failing fields' };

export const requestPin = defineFunction({
  name: 'auth-request-pin',
  trigger: {
    kind: 'http', method: 'POST', route: 'auth/request-pin', auth: 'public', rateLimit: 'auth', rateLimitFailClosed: true, credentialLimits: true,
    summary: 'E-mails a sign-up PIN. Answers the same whether or not the address has an account.',
    request: { body: requestPinRequest },
    responses: { 202: { description: 'Sent (or, past the hourly quota for the address, silently not)', schema: requestPinResponse }, 400: invalid, 429: problem, 503: problem },
  },
  handler: 'handlers/identity/accounts.routes#requestPin',
});

export const confirmSignup = defineFunction({
  name: 'auth-confirm-signup',
  trigger: {
    kind: 'http', method: 'POST', route: 'auth/confirm-signup', auth: 'public', rateLimit: 'auth', rateLimitFailClosed: true, credentialLimits: true,
    summary: 'Creates the account with the e-mailed PIN and a password, and signs it in.',
    request: { body: confirmSignupRequest },
    responses: {
      201: { description: 'Created and signed in', schema: sessionResponse },
      400: { description: '`invalid_pin` (wrong, expired, used or out of attempts: one answer for all), or `validation_failed`' },
      409: { description: '`account_exists`: only ever after a correct PIN' },
      429: problem,
    },
  },
  handler: 'handlers/identity/accounts.routes#confirmSignup',
});

export const login = defineFunction({
  name: 'auth-login',
  trigger: {
    kind: 'http', method: 'POST', route: 'auth/login', auth: 'public', rateLimit: 'auth', rateLimitFailClosed: true, credentialLimits: true,
    summary: 'Signs in with e-mail and password.',
    request: { body: loginRequest },
    responses: { 200: { description: 'Signed in', schema: sessionResponse }, 400: invalid, 401: { description: '`invalid_credentials`: unknown address or wrong password alike' }, 429: problem },
  },
  handler: 'handlers/identity/accounts.routes#login',
});

export const refresh = defineFunction({
  name: 'auth-refresh',
  trigger: {
    kind: 'http', method: 'POST', route: 'auth/refresh', auth: 'public', rateLimit: 'auth',
    summary:
      'Trades a refresh token for new tokens. Each refresh token works once; replaying one revokes its whole login, except a retry with the ' +
      'just-rotated token within REFRESH_GRACE_SECONDS, which answers the same new session again. One route for every client: the token ' +
      'under `refreshToken` (Portico), `refresh_token` (Axly, PluckIt mobile), `token` or `tokenValue`; the answer is the union session ' +
      '(Portico\'s camelCase keys, `success`, and every key the PluckIt mobile app reads).',
    request: { body: clientRefreshRequest },
    responses: { 200: { description: 'New tokens', schema: clientSessionResponse }, 400: invalid, 401: { description: '`invalid_refresh_token`: "Invalid or expired refresh token." (unknown, rotated, revoked or expired alike)' }, 429: problem },
  },
  handler: 'handlers/identity/client.routes#refresh',
});

export const mobileToken = defineFunction({
  name: 'auth-mobile-token',
  trigger: {
    kind: 'http', method: 'POST', route: 'auth/mobile-token', auth: 'public', rateLimit: 'auth',
    summary:
      "Signs in with a Google ID token (the PluckIt mobile app's exchange): checked against Google's keys, issuer and GOOGLE_CLIENT_IDS; " +
      "the user is Google's `sub`. Answers the session: an access token for every protected route (30 minutes) and a single-use refresh token.",
    request: { body: mobileTokenRequest },
    responses: {
      200: { description: 'Signed in', schema: clientSessionResponse },
      400: { description: '`validation_failed` (no ID token) or `invalid_json`' },
      401: { description: '`unauthorized`: the ID token is not valid (signature, issuer, audience, expiry)' },
      429: problem,
      503: { description: '`not_configured` (GOOGLE_CLIENT_IDS is not set) or `idp_unavailable` (Google\'s keys cannot be fetched)' },
    },
  },
  handler: 'handlers/identity/client.routes#mobileToken',
});

export const revoke = defineFunction({
  name: 'auth-revoke',
  trigger: {
    kind: 'http', method: 'POST', route: 'auth/revoke', auth: 'public', rateLimit: 'auth',
    summary:
      "Signs out (PluckIt): `refresh_token` (or `token`) revokes its login; `user_id` (or `userId`) revokes every login of that user when the " +
      "refresh token belongs to them or, given alone, when the caller's bearer token is theirs. Access tokens already issued last until they expire.",
    request: { body: revokeRequest },
    responses: {
      200: { description: 'Done (idempotent: `revoked` false when there was nothing to revoke)', schema: revokeResponse },
      400: { description: '`validation_failed`: neither a refresh token nor a user id' },
      401: { description: 'A user id alone, without a valid bearer token' },
      403: { description: "A user id alone that is not the bearer's" },
      429: problem,
    },
  },
  handler: 'handlers/identity/client.routes#revoke',
});

export const logout = defineFunction({
  name: 'auth-logout',
  trigger: {
    kind: 'http', method: 'POST', route: 'auth/logout', auth: 'public', rateLimit: 'auth',
    summary: "Revokes the refresh token's login (every token rotated from it). Idempotent: an unknown token also answers 204.",
    request: { body: refreshRequest },
    responses: { 204: { description: 'Signed out' }, 400: invalid, 429: problem },
  },
  handler: 'handlers/identity/accounts.routes#logout',
});

export const me = defineFunction({
  name: 'auth-me',
  trigger: {
    kind: 'http', method: 'GET', route: 'auth/me', auth: 'user',
    summary: 'The signed-in caller.',
    responses: { 200: { description: 'The caller', schema: meResponse }, 401: problem },
  },
  handler: 'handlers/identity/accounts.routes#me',
});

export const devOutbox = defineFunction({
  name: 'dev-outbox',
  localOnly: true,
  trigger: {
    kind: 'http', method: 'GET', route: 'dev/outbox', auth: 'public', rateLimit: false,
    summary: 'Development only (never deployed): the mail the local outbox holds for an address, newest last.',
    request: { query: outboxQuery },
    responses: { 200: { description: 'The messages', schema: outboxResponse }, 400: invalid, 404: { description: 'Mail goes to SendGrid, not the outbox' } },
  },
  handler: 'handlers/identity/dev-outbox.routes#devOutbox',
});

// The PIN, sign-up, reset and login routes share one rate limit class and the credential limits.
const credentialRoute = { kind: 'http', method: 'POST', auth: 'public', rateLimit: 'auth', rateLimitFailClosed: true, credentialLimits: true } as const;
const pinRejected = { description: '`invalid_pin` (wrong, expired, used, out of attempts or mailed for another purpose: one answer for all), or `validation_failed`' };

export const requestPasswordReset = defineFunction({
  name: 'auth-request-password-reset',
  trigger: {
    ...credentialRoute, route: 'auth/request-password-reset',
    summary: 'E-mails a password-reset PIN when the address has an account. Answers the same either way.',
    request: { body: requestPinRequest },
    responses: { 202: { description: 'Sent (or not: no account, or past the hourly quota)', schema: requestPinResponse }, 400: invalid, 429: problem, 503: problem },
  },
  handler: 'handlers/identity/accounts.routes#requestPasswordReset',
});

export const confirmPasswordReset = defineFunction({
  name: 'auth-confirm-password-reset',
  trigger: {
    ...credentialRoute, route: 'auth/confirm-password-reset',
    summary: "Sets a new password with the e-mailed reset PIN, signs out every other login (its refresh tokens are revoked), and signs in.",
    request: { body: confirmPasswordResetRequest },
    responses: { 200: { description: 'Password set and signed in', schema: sessionResponse }, 400: pinRejected, 429: problem },
  },
  handler: 'handlers/identity/accounts.routes#confirmPasswordReset',
});

// ---- the Axly seed's routes: aliases over the same service, with the seed's bodies and answers

export const seedRequestPin = defineFunction({
  name: 'axly-request-pin',
  trigger: {
    ...credentialRoute, route: 'request_pin',
    summary: 'Axly alias of `auth/request-pin`: e-mails a sign-up PIN; the same answer for any address.',
    request: { body: requestPinRequest },
    responses: { 202: { description: 'Sent', schema: requestPinResponse }, 400: invalid, 429: problem, 503: problem },
  },
  handler: 'handlers/identity/seed.routes#seedRequestPin',
});

export const seedConfirmSignup = defineFunction({
  name: 'axly-confirm-signup',
  trigger: {
    ...credentialRoute, route: 'confirm_signup',
    summary: 'Axly alias of `auth/confirm-signup` `{email, password, pin}`: creates the account and answers as `login` does.',
    request: { body: confirmSignupRequest },
    responses: { 201: { description: 'Created and signed in', schema: seedSessionResponse }, 400: pinRejected, 409: { description: '`account_exists`: only ever after a correct PIN' }, 429: problem },
  },
  handler: 'handlers/identity/seed.routes#seedConfirmSignup',
});

export const seedLogin = defineFunction({
  name: 'axly-login',
  trigger: {
    ...credentialRoute, route: 'login',
    summary: 'Axly alias of `auth/login`: the tokens (`access_token`, `refresh_token`, `token_type: "bearer"`) and `user {id, email}`.',
    request: { body: loginRequest },
    responses: { 200: { description: 'Signed in', schema: seedSessionResponse }, 400: invalid, 401: { description: '`invalid_credentials`: unknown address or wrong password alike' }, 429: problem },
  },
  handler: 'handlers/identity/seed.routes#seedLogin',
});

export const seedRequestPasswordReset = defineFunction({
  name: 'axly-request-password-reset-pin',
  trigger: {
    ...credentialRoute, route: 'request_password_reset_pin',
    summary: 'Axly alias of `auth/request-password-reset`.',
    request: { body: requestPinRequest },
    responses: { 202: { description: 'Sent (or not: no account, or past the hourly quota)', schema: requestPinResponse }, 400: invalid, 429: problem, 503: problem },
  },
  handler: 'handlers/identity/seed.routes#seedRequestPasswordReset',
});

export const seedConfirmPasswordReset = defineFunction({
  name: 'axly-confirm-password-reset',
  trigger: {
    ...credentialRoute, route: 'confirm_password_reset',
    summary: 'Axly alias of `auth/confirm-password-reset` `{email, pin, new_password}`: answers as `login` does.',
    request: { body: seedConfirmPasswordResetRequest },
    responses: { 200: { description: 'Password set and signed in', schema: seedSessionResponse }, 400: pinRejected, 429: problem },
  },
  handler: 'handlers/identity/seed.routes#seedConfirmPasswordReset',
});

export const deleteAccount = defineFunction({
  name: 'axly-delete-account',
  // It reaches every service's data, so its Lambda bundle carries every manifest.
  bundle: 'app',
  trigger: {
    kind: 'http', method: 'DELETE', route: 'delete_account', auth: 'user', rateLimit: 'auth',
    summary: "Erases the caller's data in every service (each manifest's `erase`), the account itself last. Idempotent; the caller's tokens stop working.",
    responses: { 204: { description: 'Erased' }, 401: problem, 429: problem, 503: { description: '`erase_incomplete`: some service failed; the account is kept, retry' } },
  },
  handler: 'handlers/identity/seed.routes#deleteAccount',
});

export const identityFunctions: readonly FunctionDef<HttpTrigger>[] = [
  requestPin, confirmSignup, login, refresh, mobileToken, revoke, logout, me, requestPasswordReset, confirmPasswordReset, devOutbox,
  seedRequestPin, seedConfirmSignup, seedLogin, seedRequestPasswordReset, seedConfirmPasswordReset, deleteAccount,
];

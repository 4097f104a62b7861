/**
 * The accounts service: e-mail + PIN sign-up, password login, rotating refresh tokens, logout,
 * the caller's own profile, and (local host only) the development outbox. The credential
 * routes count against the `auth` rate limit (RATE_LIMIT_AUTH), stricter than the default.
 */
import { defineFunction, type FunctionDef, type HttpTrigger } from '../../kernel/functions.ts';
import {
  confirmSignupRequest,
  loginRequest,
  meResponse,
  outboxQuery,
  outboxResponse,
  refreshRequest,
  requestPinRequest,
  requestPinResponse,
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
    summary: 'Trades a refresh token for new tokens. Each refresh token works once; replaying one revokes its whole login.',
    request: { body: refreshRequest },
    responses: { 200: { description: 'New tokens', schema: sessionResponse }, 400: invalid, 401: { description: '`invalid_refresh_token`' }, 429: problem },
  },
  handler: 'handlers/identity/accounts.routes#refresh',
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

export const identityFunctions: readonly FunctionDef<HttpTrigger>[] = [requestPin, confirmSignup, login, refresh, logout, me, devOutbox];

/** Schemas of the accounts routes: request bodies refuse unknown fields; responses document the shapes. */
import type { JsonSchema } from '../../kernel/functions.ts';

// RFC 5321 caps a path at 254; the domain rule (normalizeEmail) decides the rest.
const email: JsonSchema = { type: 'string', format: 'email', minLength: 3, maxLength: 254 };
const pin: JsonSchema = { type: 'string', pattern: '^[0-9]{6,8}$' };
// The minimum is configurable (PASSWORD_MIN_LENGTH), so the handler checks it; the cap bounds scrypt's input.
const password: JsonSchema = { type: 'string', minLength: 1, maxLength: 256 };
const refreshToken: JsonSchema = { type: 'string', minLength: 20, maxLength: 256, pattern: '^[A-Za-z0-9_-]+$' };

export const requestPinRequest: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['email'],
  properties: { email },
};

export const requestPinResponse: JsonSchema = {
  type: 'object',
  required: ['status'],
  properties: { status: { const: 'sent' } },
};

export const confirmSignupRequest: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['email', 'pin', 'password'],
  properties: { email, pin, password },
};

export const loginRequest: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['email', 'password'],
  properties: { email, password },
};

export const refreshRequest: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['refreshToken'],
  properties: { refreshToken },
};

/** The refresh token's names across clients: Portico's, Axly's and PluckIt's mobile, PluckIt's others. */
export const REFRESH_TOKEN_KEYS = ['refreshToken', 'refresh_token', 'token', 'tokenValue'] as const;

/** `auth/refresh`: any one of the names (the first given, in REFRESH_TOKEN_KEYS order, is used). */
export const clientRefreshRequest: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  description: `The refresh token under any of ${REFRESH_TOKEN_KEYS.join(', ')}.`,
  properties: Object.fromEntries(REFRESH_TOKEN_KEYS.map((key) => [key, refreshToken])),
};

/** Google ID tokens are JWTs of a kilobyte or so; the bound keeps a garbage body cheap. */
const idToken: JsonSchema = { type: 'string', minLength: 1, maxLength: 8192 };

export const ID_TOKEN_KEYS = ['id_token', 'token', 'idToken', 'idTokenValue'] as const;

/** `auth/mobile-token`: the Google ID token under any of its names (the mobile app sends `id_token`). */
export const mobileTokenRequest: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  description: `The Google ID token under any of ${ID_TOKEN_KEYS.join(', ')}.`,
  properties: Object.fromEntries(ID_TOKEN_KEYS.map((key) => [key, idToken])),
};

const userId: JsonSchema = { type: 'string', minLength: 1, maxLength: 256 };

/** `auth/revoke`: a refresh token, a user id, or both (the mobile app sends both). */
export const revokeRequest: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: { refresh_token: refreshToken, token: refreshToken, user_id: userId, userId },
};

export const revokeResponse: JsonSchema = {
  type: 'object',
  required: ['revoked', 'message'],
  properties: {
    revoked: { type: 'boolean', description: 'Whether a login was revoked by this call (false: unknown or already revoked).' },
    message: { type: 'string' },
  },
};

export const confirmPasswordResetRequest: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['email', 'pin', 'newPassword'],
  properties: { email, pin, newPassword: password },
};

/** The seed's (Axly's) body: snake_case. */
export const seedConfirmPasswordResetRequest: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['email', 'pin', 'new_password'],
  properties: { email, pin, new_password: password },
};

/** The seed's login answer (Axly's field names). */
export const seedSessionResponse: JsonSchema = {
  type: 'object',
  required: ['access_token', 'refresh_token', 'token_type', 'expires_in', 'user'],
  properties: {
    access_token: { type: 'string' },
    refresh_token: { type: 'string', description: 'Single use: POST /api/auth/refresh `{ refresh_token }` returns a new one.' },
    token_type: { const: 'bearer' },
    expires_in: { type: 'integer', description: 'Seconds until the access token expires.' },
    user: { type: 'object', required: ['id', 'email'], properties: { id: { type: 'string' }, email: { type: 'string' } } },
  },
};

export const sessionResponse: JsonSchema = {
  type: 'object',
  required: ['user', 'accessToken', 'expiresIn', 'tokenType', 'refreshToken'],
  properties: {
    user: { type: 'object', required: ['id', 'email'], properties: { id: { type: 'string' }, email: { type: ['string', 'null'] } } },
    accessToken: { type: 'string' },
    expiresIn: { type: 'integer', description: 'Seconds until the access token expires.' },
    tokenType: { const: 'Bearer' },
    refreshToken: { type: 'string', description: 'Single use: each refresh returns a new one; replaying an old one signs the login out everywhere.' },
  },
};

const timestamp: JsonSchema = { type: 'string', format: 'date-time', description: 'ISO 8601, UTC, whole seconds: yyyy-MM-ddTHH:mm:ssZ' };
const accessAlias: JsonSchema = { type: 'string', description: 'The access token again (clients read the first of these they find).' };

/** `auth/mobile-token` and `auth/refresh`: Portico's session, Axly's and PluckIt's keys in one answer (client-session.ts). */
export const clientSessionResponse: JsonSchema = {
  type: 'object',
  required: [
    ...(sessionResponse.required as string[]), 'success', 'access_token', 'token_type', 'expires_in', 'access_token_expires_at', 'refresh_token',
    'refresh_token_expires_in', 'refresh_token_expires_at', 'refresh_token_rotation', 'refresh_token_revoke_on_logout',
    'token', 'session_token', 'app_token', 'id_token', 'user_id', 'userId', 'email',
  ],
  properties: {
    ...(sessionResponse.properties as Record<string, JsonSchema>),
    success: { const: true },
    access_token: { type: 'string', description: 'Bearer token for every protected route.' },
    token_type: { const: 'Bearer' },
    expires_in: { type: 'integer', description: 'Seconds the access token lasts (1800 for Google sign-ins).' },
    access_token_expires_at: timestamp,
    refresh_token: { type: 'string', description: 'Single use: POST /api/auth/refresh returns a new one.' },
    refresh_token_expires_in: { type: 'integer', description: 'Seconds the refresh token lasts (REFRESH_TTL_DAYS; 2592000 by default).' },
    refresh_token_expires_at: timestamp,
    refresh_token_rotation: { const: 'single-use' },
    refresh_token_revoke_on_logout: { const: true },
    token: accessAlias,
    session_token: accessAlias,
    app_token: accessAlias,
    id_token: accessAlias,
    user_id: { type: 'string', description: "The user id: a Google user's `sub`, or a Portico account's id." },
    userId: { type: 'string' },
    email: { type: ['string', 'null'] },
  },
};

export const meResponse: JsonSchema = {
  type: 'object',
  required: ['id', 'email', 'isAdmin'],
  properties: { id: { type: 'string' }, email: { type: ['string', 'null'] }, isAdmin: { type: 'boolean' } },
};

export const outboxQuery: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['email'],
  properties: { email },
};

export const outboxResponse: JsonSchema = {
  type: 'object',
  required: ['messages'],
  properties: {
    messages: {
      type: 'array',
      items: {
        type: 'object',
        required: ['to', 'subject', 'text', 'queuedAt'],
        properties: { to: { type: 'string' }, subject: { type: 'string' }, text: { type: 'string' }, queuedAt: { type: 'string', format: 'date-time' } },
      },
    },
  },
};

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
    refresh_token: { type: 'string', description: 'Single use: POST /api/auth/refresh `{ refreshToken }` returns a new one.' },
    token_type: { const: 'bearer' },
    expires_in: { type: 'integer', description: 'Seconds until the access token expires.' },
    user: { type: 'object', required: ['id', 'email'], properties: { id: { type: 'string' }, email: { type: 'string' } } },
  },
};

export const sessionResponse: JsonSchema = {
  type: 'object',
  required: ['user', 'accessToken', 'expiresIn', 'tokenType', 'refreshToken'],
  properties: {
    user: { type: 'object', required: ['id', 'email'], properties: { id: { type: 'string' }, email: { type: 'string' } } },
    accessToken: { type: 'string' },
    expiresIn: { type: 'integer', description: 'Seconds until the access token expires.' },
    tokenType: { const: 'Bearer' },
    refreshToken: { type: 'string', description: 'Single use: each refresh returns a new one; replaying an old one signs the login out everywhere.' },
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

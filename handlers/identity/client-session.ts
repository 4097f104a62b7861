/**
 * The session object of `auth/mobile-token` and `auth/refresh`: one answer that every client of
 * those routes reads. The PluckIt mobile app reads snake_case keys (first non-null of several
 * aliases) and decodes timestamps as ISO 8601 without fractional seconds; Axly reads
 * `access_token`, `refresh_token` and `success`; Portico's own clients read the camelCase
 * session `auth/login` answers. So the answer is the union of the three.
 */
import { isoSeconds } from '../../domain/time.ts';
import { porticoSession, type PorticoSession, type Session } from './service.ts';

export interface ClientSession extends PorticoSession {
  success: true;
  access_token: string;
  /** RFC 6749 5.1: case-insensitive; Axly's upstream wrote "bearer", PluckIt's "Bearer". */
  token_type: 'Bearer';
  expires_in: number;
  access_token_expires_at: string;
  refresh_token: string;
  refresh_token_expires_in: number;
  refresh_token_expires_at: string;
  refresh_token_rotation: 'single-use';
  refresh_token_revoke_on_logout: true;
  token: string;
  session_token: string;
  app_token: string;
  id_token: string;
  user_id: string;
  userId: string;
  email: string | null;
}

export function clientSession(session: Session): ClientSession {
  const access = session.accessToken;
  return {
    ...porticoSession(session),
    success: true,
    access_token: access,
    token_type: 'Bearer',
    expires_in: session.expiresIn,
    access_token_expires_at: isoSeconds(session.issuedAt + session.expiresIn * 1000),
    refresh_token: session.refreshToken,
    refresh_token_expires_in: session.refreshExpiresIn,
    refresh_token_expires_at: isoSeconds(session.issuedAt + session.refreshExpiresIn * 1000),
    refresh_token_rotation: 'single-use',
    refresh_token_revoke_on_logout: true,
    // The mobile app takes the first of these it finds; all are the access token.
    token: access,
    session_token: access,
    app_token: access,
    id_token: access,
    user_id: session.user.id,
    userId: session.user.id,
    email: session.user.email,
  };
}

/** The first of `keys` the body holds, in the order given (the schemas require one). */
export function firstOf<K extends string>(body: Partial<Record<K, string>>, keys: readonly K[]): string | undefined {
  for (const key of keys) if (typeof body[key] === 'string') return body[key];
  return undefined;
}

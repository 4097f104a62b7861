/** What the middleware stack adds to Lambda's event and context; handlers see these types. */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { Logger } from './logger.ts';

export interface Identity {
  /** The subject as its issuer knows it (a Portico account id, an Entra object id, an API key's name). */
  userId: string;
  /** `<issuer>|<subject>`: unique across issuers; what ADMIN_USER_IDS lists. */
  qualifiedId: string;
  issuer: string;
  /** How the caller proved who it is. */
  via: 'token' | 'oidc' | 'apiKey' | 'dev';
  roles: readonly string[];
  isAdmin: boolean;
  email?: string;
  /** The caller's display name, when their sign-in carried one (a Google ID token's `name`). */
  name?: string;
}

/** The raw platform input, for the rare handler that needs it (kept opaque on purpose). */
export interface PlatformInput {
  runtime: 'azure' | 'lambda' | 'gcp' | 'local';
  raw: unknown;
}

export interface PorticoContext extends Context {
  log: Logger;
  requestId: string;
  correlationId: string;
  /** The caller's W3C `traceparent`, when it sent a valid one: spans Portico exports join that trace. */
  traceparent?: string;
  /** The authenticated caller, set by the auth middleware on protected routes. */
  principal?: Identity;
  platform?: PlatformInput;
}

export interface PorticoHttpEvent<TBody = unknown> extends APIGatewayProxyEventV2 {
  /** The parsed, validated JSON body (undefined when the route takes none). */
  json: TBody;
}

/** What the middleware stack adds to Lambda's event and context; handlers see these types. */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { Logger } from './logger.ts';

export interface Identity {
  userId: string;
  roles: readonly string[];
}

/** The raw platform input, for the rare handler that needs it (kept opaque on purpose). */
export interface PlatformInput {
  runtime: 'azure' | 'lambda' | 'local';
  raw: unknown;
}

export interface PorticoContext extends Context {
  log: Logger;
  requestId: string;
  correlationId: string;
  /** The authenticated caller, set by the auth middleware on protected routes. */
  principal?: Identity;
  platform?: PlatformInput;
}

export interface PorticoHttpEvent<TBody = unknown> extends APIGatewayProxyEventV2 {
  /** The parsed, validated JSON body (undefined when the route takes none). */
  json: TBody;
}

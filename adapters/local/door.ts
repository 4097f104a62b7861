/**
 * The local host's door. It serves one developer on loopback, but that developer's browser
 * visits other sites too: a page could POST to /admin/functions/<name> (run workers) or, by DNS
 * rebinding (its own name resolving to 127.0.0.1), read /api/dev/outbox (sign-up PINs).
 * - A `Host` that is not a loopback name is refused on every path: a rebound page still sends
 *   its own name there.
 * - On the development paths (/admin/*, /api/dev/*), a foreign `Origin` is refused, and so is a
 *   body a browser sends cross-origin without a CORS preflight (text/plain, form types, none).
 */
import type { IncomingMessage } from 'node:http';
import { AppError } from '../../domain/errors.ts';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);
/** Case-insensitive, as the router matches routes. */
const DEVELOPMENT_PATHS = /^\/(admin|api\/dev)(\/|$)/i;
/** The Fetch standard's CORS-safelisted request content types. */
const SIMPLE_TYPES = new Set(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']);

/** `localhost`, `127.0.0.1` or `[::1]`, with or without a port. */
export function isLoopbackHost(host: string | undefined): boolean {
  const match = /^(\[[^\]]*\]|[^:[\]]+)(:\d{1,5})?$/.exec(host ?? '');
  return match !== null && LOOPBACK_NAMES.has(match[1]!.toLowerCase());
}

const hasBody = (req: IncomingMessage) =>
  req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] ?? '0') !== '0';

/** Throws a 403 AppError (problem+json by the caller) when the request may not come in. */
export function checkDoor(req: IncomingMessage, pathname: string): void {
  const host = req.headers.host;
  if (!isLoopbackHost(host)) {
    throw new AppError(403, 'host_not_allowed', 'The local host answers only to localhost, 127.0.0.1 or [::1].');
  }
  if (!DEVELOPMENT_PATHS.test(pathname)) return;
  const origin = req.headers.origin;
  if (origin !== undefined && origin.toLowerCase() !== `http://${host!.toLowerCase()}`) {
    throw new AppError(403, 'cross_origin_refused', 'The development paths take no cross-origin requests.');
  }
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (hasBody(req) && (type === '' || SIMPLE_TYPES.has(type))) {
    throw new AppError(403, 'content_type_refused', 'Send a body to the development paths as application/json.');
  }
}

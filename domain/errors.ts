/**
 * Errors a handler raises on purpose. Each has a stable machine-readable `code` that clients
 * may branch on, an HTTP status, and an optional list of field problems. The error middleware
 * renders them as RFC 9457 problem details; anything that is not an AppError becomes a 500
 * that says nothing about its cause.
 */
export interface FieldProblem {
  /** JSON Pointer into the request part, e.g. `/body/email`. */
  pointer: string;
  detail: string;
}

export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly errors: readonly FieldProblem[] | undefined;
  readonly headers: Readonly<Record<string, string>> | undefined;

  constructor(
    status: number,
    code: string,
    message: string,
    extra: { errors?: readonly FieldProblem[]; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.status = status;
    this.code = code;
    this.errors = extra.errors;
    this.headers = extra.headers;
  }
}

export const badRequest = (code: string, message: string, errors?: readonly FieldProblem[]) =>
  new AppError(400, code, message, errors ? { errors } : {});
export const unauthorized = (message = 'Authentication is required.') =>
  new AppError(401, 'unauthorized', message, { headers: { 'www-authenticate': 'Bearer' } });
export const forbidden = (message = 'You may not do this.') => new AppError(403, 'forbidden', message);
export const notFound = (message = 'Not found.') => new AppError(404, 'not_found', message);
export const conflict = (code: string, message: string) => new AppError(409, code, message);
export const unavailable = (message: string, retryAfterSeconds: number) =>
  new AppError(503, 'unavailable', message, { headers: { 'retry-after': String(retryAfterSeconds) } });

/** Standard titles for the statuses Portico emits. */
export const STATUS_TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  499: 'Client Closed Request',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

// ---------------------------------------------------------------- store errors, typed so callers can react

/** The document (or a unique key) already exists. */
export class DocumentExistsError extends AppError {
  constructor(message = 'That already exists.') {
    super(409, 'already_exists', message);
    this.name = 'DocumentExistsError';
  }
}

/** The ETag no longer matches: someone else wrote first. Read-modify-write retries on this. */
export class PreconditionFailedError extends AppError {
  constructor(message = 'The resource changed since it was read.') {
    super(412, 'precondition_failed', message);
    this.name = 'PreconditionFailedError';
  }
}

/** The store is throttling or unreachable; nothing was written. */
export class StoreUnavailableError extends AppError {
  constructor(retryAfterSeconds: number, message = 'The service is busy; try again shortly.') {
    super(503, 'unavailable', message, { headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) } });
    this.name = 'StoreUnavailableError';
  }
}

/** A queue message would exceed what the queue accepts. */
export class PayloadTooLargeError extends AppError {
  constructor(bytes: number, limit: number) {
    super(413, 'payload_too_large', `A ${bytes}-byte message is over the ${limit}-byte queue limit; store the payload as a blob.`);
    this.name = 'PayloadTooLargeError';
  }
}

/**
 * Renders every failure as RFC 9457 `application/problem+json` with a stable `code` and the
 * request id. Only AppErrors say what went wrong; anything else is a 500 whose body says
 * nothing about its cause (the log line has the error's name and message, never its stack).
 * Replaces @middy/http-error-handler, whose default logger prints the whole request.
 */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { AppError, STATUS_TITLES, type FieldProblem } from '../domain/errors.ts';
import type { PorticoContext } from './context.ts';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  requestId: string;
  instance?: string;
  errors?: readonly FieldProblem[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof Error && error.name === 'TimeoutError') {
    return new AppError(503, 'timeout', 'The request took too long; try again.', { headers: { 'retry-after': '1' } });
  }
  return new AppError(500, 'internal_error', 'An unexpected error occurred.');
}

export function problemResponse(error: AppError, requestId: string, instance?: string, members: Readonly<Record<string, unknown>> = {}): APIGatewayProxyStructuredResultV2 {
  const problem: Problem = {
    // Extension members first (RFC 9457 section 3.2), so none can replace a standard one.
    ...members,
    type: `urn:portico:problem:${error.code}`,
    title: STATUS_TITLES[error.status] ?? 'Error',
    status: error.status,
    detail: error.message,
    code: error.code,
    requestId,
    ...(instance ? { instance } : {}),
    ...(error.errors ? { errors: error.errors } : {}),
  };
  return {
    statusCode: error.status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, ...error.headers },
    body: JSON.stringify(problem),
  };
}

/** `members`: extension members every problem of the route carries (the capability routes' `success: false`). */
export function problemErrors(members?: Readonly<Record<string, unknown>>): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, unknown, Context> {
  return {
    onError: (request) => {
      const context = request.context as PorticoContext;
      const appError = toAppError(request.error);
      if (appError.status >= 500) context.log?.error({ err: request.error, code: appError.code }, 'unhandled error');
      else context.log?.info({ code: appError.code, status: appError.status }, appError.message);
      request.response = problemResponse(appError, context.requestId ?? context.awsRequestId, request.event.rawPath, members);
    },
  };
}

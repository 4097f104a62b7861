/**
 * Request validation with ajv. Each schema is compiled once per cold start (cached by object
 * identity) into a standalone validator function; bodies are validated as sent (no coercion,
 * unknown fields rejected by the schemas), query strings with type coercion since every query
 * value arrives as a string. A failure is a 400 that names every failing field.
 */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';
import { badRequest, type FieldProblem } from '../domain/errors.ts';
import { isPlainText } from '../domain/text.ts';
import type { JsonSchema } from '../kernel/functions.ts';
import type { PorticoHttpEvent } from './context.ts';

type FormatsPlugin = (ajv: Ajv) => Ajv;
const addFormats = ((ajvFormats as unknown as { default?: FormatsPlugin }).default ?? ajvFormats) as unknown as FormatsPlugin;

function createAjv(coerceTypes: boolean): Ajv {
  const ajv = addFormats(new Ajv({ allErrors: true, strict: true, coerceTypes, useDefaults: true, messages: true }));
  // Names and other short fields: no controls, bidirectional overrides or isolates (domain/text.ts).
  return ajv.addFormat('plain-text', { type: 'string', validate: isPlainText });
}

const bodyAjv = createAjv(false);
const queryAjv = createAjv(true);
const compiled = new WeakMap<JsonSchema, ValidateFunction>();

export function compileSchema(schema: JsonSchema, coerce = false): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = (coerce ? queryAjv : bodyAjv).compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

export function toFieldProblems(part: string, errors: readonly ErrorObject[]): FieldProblem[] {
  return errors.map((error) => {
    const params = error.params as { missingProperty?: string; additionalProperty?: string };
    const field = params.missingProperty ?? params.additionalProperty;
    const pointer = `/${part}${error.instancePath}${field ? `/${field}` : ''}`;
    const detail = params.additionalProperty ? 'is not an allowed field' : (error.message ?? 'is invalid');
    return { pointer, detail };
  });
}

/** Throws 400 `validation_failed` with field problems when `value` does not match. */
export function assertValid(part: string, validate: ValidateFunction, value: unknown): void {
  if (validate(value)) return;
  const problems = toFieldProblems(part, validate.errors ?? []);
  throw badRequest('validation_failed', `Invalid ${part}: ${problems.map((p) => `${p.pointer} ${p.detail}`).join('; ')}.`, problems);
}

export function validation(schemas: { body?: JsonSchema; optionalBody?: boolean; query?: JsonSchema } = {}): MiddlewareObj<
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2
> {
  // Compile now, at wiring time, so a bad schema fails the cold start instead of a request.
  const body = schemas.body && compileSchema(schemas.body);
  const query = schemas.query && compileSchema(schemas.query, true);
  return {
    before: (request) => {
      const event = request.event as PorticoHttpEvent;
      if (query) {
        event.queryStringParameters = { ...event.queryStringParameters };
        assertValid('query', query, event.queryStringParameters);
      }
      if (body && !(schemas.optionalBody && event.json === undefined)) assertValid('body', body, event.json);
    },
  };
}

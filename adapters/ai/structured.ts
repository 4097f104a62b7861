/**
 * Structured answers are checked against the request's JSON schema with the options that
 * validate request bodies. Strict structured output makes a mismatch rare, but a model, a proxy
 * or an offline answer can still get it wrong, and callers must be able to trust the type they
 * asked for.
 *
 * Validators are cached by the schema's text, a bounded number of them, on an ajv of their own:
 * ajv keeps every schema it compiled until it is removed, and some schemas are built per call
 * (ai-classify's enum of the caller's labels, an inline literal), so caching by object identity on
 * the shared ajv would grow with every call. An evicted schema is removed from this ajv too.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';
import { LRUCache } from 'lru-cache';
import { ModelError, type StructuredRequest } from '../../domain/ai.ts';
import { isPlainText } from '../../domain/text.ts';

type FormatsPlugin = (ajv: Ajv) => Ajv;
const addFormats = ((ajvFormats as unknown as { default?: FormatsPlugin }).default ?? ajvFormats) as unknown as FormatsPlugin;
const ajv = addFormats(new Ajv({ allErrors: true, strict: true, useDefaults: true, messages: true })).addFormat('plain-text', { type: 'string', validate: isPlainText });

/** Enough for every fixed schema of the app many times over; per-call schemas come and go. */
const MAX_VALIDATORS = 256;
const validators = new LRUCache<string, ValidateFunction>({
  max: MAX_VALIDATORS,
  dispose: (validate) => void ajv.removeSchema(validate.schema as object),
});

function validatorOf(schema: Record<string, unknown>): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    validators.set(key, validate);
  }
  return validate;
}

export function validateStructured<T>(schema: StructuredRequest<T>['schema'], value: unknown): T {
  const validate = validatorOf(schema.schema);
  if (!validate(value)) {
    const where = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`).join('; ');
    throw new ModelError('invalid_output', { message: `The language model's answer does not match the ${schema.name} schema (${where}).` });
  }
  return value as T;
}

/** Parses a model's JSON text and validates it; any failure is invalid_output. */
export function parseStructured<T>(schema: StructuredRequest<T>['schema'], content: string | null | undefined): T {
  if (!content) throw new ModelError('invalid_output', { message: 'The language model gave no answer.' });
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch {
    throw new ModelError('invalid_output', { message: `The language model's answer is not JSON (${schema.name}).` });
  }
  return validateStructured<T>(schema, value);
}

/**
 * Structured answers are checked against the request's JSON schema with the same ajv set-up that
 * validates request bodies (compiled once per schema object). Strict structured output makes a
 * mismatch rare, but a model, a proxy or an offline answer can still get it wrong, and callers
 * must be able to trust the type they asked for.
 */
import { ModelError, type StructuredRequest } from '../../domain/ai.ts';
import { compileSchema } from '../../middleware/validation.ts';

export function validateStructured<T>(schema: StructuredRequest<T>['schema'], value: unknown): T {
  const validate = compileSchema(schema.schema);
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

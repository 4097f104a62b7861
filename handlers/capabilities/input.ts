/**
 * A plugin's input from either body its routes take: JSON (the input itself, as the seed's
 * compress body), or multipart/form-data with the file in a part named `file` (or the only file
 * part) and the other fields as text. A field is placed where the plugin's schema has it, at the
 * top level or inside `options` (the seed's "options as fields"), and typed by that schema.
 */
import { AppError, badRequest } from '../../domain/errors.ts';
import type { SourceFile } from '../../domain/capabilities/plugin.ts';
import type { PorticoHttpEvent } from '../../middleware/context.ts';
import { parseJsonStrictly } from '../../middleware/json-body.ts';
import { bodyBytesOf, mediaTypeOf, parseMultipart } from '../../middleware/multipart.ts';

export interface PluginRequest {
  input: Record<string, unknown>;
  upload?: SourceFile;
}

type Schema = { type?: string; properties?: Record<string, Schema>; enum?: readonly unknown[] };

/** A text field as its schema types it; a value of the wrong type is left a string for ajv to refuse. */
function typed(value: string, schema: Schema | undefined): unknown {
  const type = schema?.type;
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  if ((type === 'array' || type === 'object') && /^[[{]/.test(value.trim())) return parseJsonStrictly(value);
  return value;
}

/** Multipart fields into the input's shape: top-level keys first, then keys of `options`. */
export function fieldsToInput(fields: Readonly<Record<string, string>>, schema: Schema): Record<string, unknown> {
  const top = schema.properties ?? {};
  const optionSchema = top.options?.properties ?? {};
  const input: Record<string, unknown> = {};
  const options: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (name === 'options' && top.options) Object.assign(options, parseJsonStrictly(value) as object);
    else if (Object.hasOwn(top, name) || !Object.hasOwn(optionSchema, name)) input[name] = typed(value, top[name]);
    else options[name] = typed(value, optionSchema[name]);
  }
  if (Object.keys(options).length > 0) input.options = options;
  return input;
}

export function pluginRequest(event: PorticoHttpEvent, schema: Schema): PluginRequest {
  const type = mediaTypeOf(event);
  if (type === 'multipart/form-data') {
    const form = parseMultipart(event);
    const files = Object.entries(form.files);
    const part = form.files.file ?? (files.length === 1 ? files[0]![1] : undefined);
    if (files.length > 0 && !part) throw badRequest('malformed_multipart', 'Send the input file in a part named "file".');
    const input = fieldsToInput(form.fields, schema);
    return part ? { input, upload: { bytes: part.bytes, contentType: part.contentType, filename: part.fileName } } : { input };
  }
  if (type !== '' && type !== 'application/json' && !type.endsWith('+json')) {
    throw new AppError(415, 'unsupported_media_type', 'Send application/json or multipart/form-data.');
  }
  const text = Buffer.from(bodyBytesOf(event)).toString('utf8');
  if (text.trim() === '') return { input: {} };
  const parsed = parseJsonStrictly(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw badRequest('validation_failed', 'The body must be a JSON object.');
  return { input: parsed as Record<string, unknown> };
}

/**
 * The capability service's refusals, each a stable code. All are the caller's doing (4xx): a
 * plugin that cannot read its input says so, it never answers 500 for a stranger's file.
 */
import { AppError, type FieldProblem } from '../errors.ts';

/** 400 `invalid_input`: the input is not what the plugin can read (not an image, a corrupt PDF, ...). */
export const invalidInput = (message: string, errors?: readonly FieldProblem[]) => new AppError(400, 'invalid_input', message, errors ? { errors } : {});
/** 400 `missing_input`: none of `<kind>_url`, `<kind>_base64` or an uploaded file. */
export const missingInput = (kind: string) =>
  new AppError(400, 'missing_input', `Give the input as ${kind}_url, ${kind}_base64 or an uploaded file (multipart part \`file\`).`, {
    errors: [{ pointer: `/body/${kind}_url`, detail: 'required' }],
  });
/** 413 `input_too_large`: past max_file_size, or past a plugin's own cap (pixels, pages, seconds). */
export const inputTooLarge = (message: string) => new AppError(413, 'input_too_large', message);
/** 415 `unsupported_format`: the content is not one of the plugin's supported_formats. */
export const unsupportedFormat = (found: string | undefined, supported: readonly string[]) =>
  new AppError(415, 'unsupported_format', `The input is ${found ? `a ${found} file` : 'of no format we recognise'}; this plugin takes ${supported.join(', ')}.`);
/** 422 `processing_timeout`: the work did not finish within the plugin's deadline (the input is too heavy for it). */
export const processingTimeout = (ms: number) => new AppError(422, 'processing_timeout', `The processing did not finish within ${ms} ms; try a smaller input.`);
/** 404 `plugin_not_found` / `plugin_disabled`. */
export const pluginNotFound = (name: string) => new AppError(404, 'plugin_not_found', `No plugin is named "${name}".`);
export const pluginDisabled = (name: string) => new AppError(404, 'plugin_disabled', `The plugin "${name}" is disabled on this deployment.`);
/** 503 `plugin_unavailable`: enabled but it cannot run here (a missing binary or model); not the caller's fault, but retry will not help either. */
export const pluginUnavailable = (name: string, reason: string) => new AppError(503, 'plugin_unavailable', `The plugin "${name}" cannot run here: ${reason}`);

/**
 * The capability service's routes (seed 003, image2url): the seed's health and compress under
 * its own paths, then the registry, any plugin by name, and async jobs. Everything but health
 * and the listing takes an X-API-Key; errors carry the seed's `success: false`.
 */
import { defineFunction, type FunctionDef } from '../../kernel/functions.ts';
import {
  compressAnswer, compressInput, healthAnswer, jobAnswer, pluginAnswer, pluginInput, pluginsAnswer, refusals, submitAnswer, submitRequest,
} from './schemas.ts';

const seedErrors = { success: false } as const;
/** base64 of a 50 MB file (the default max_file_size), and room for the rest of the body. */
export const CAPABILITIES_MAX_BODY_BYTES = 72 * 1024 * 1024;
const bodies = ['application/json', 'multipart/form-data'] as const;

export const health = defineFunction({
  name: 'capabilities-health',
  trigger: {
    kind: 'http', method: 'GET', route: 'v1/health', auth: 'public', problemMembers: seedErrors,
    summary: 'The seed\'s health: every configured plugin with `enabled` and `healthy` (and the `reason` when one cannot run here: disabled, a missing binary or model). `degraded` when an enabled plugin is unhealthy.',
    responses: { 200: { description: 'The report', schema: healthAnswer } },
  },
  handler: 'handlers/capabilities/plugins.routes#health',
});

export const compress = defineFunction({
  name: 'capabilities-compress',
  trigger: {
    kind: 'http', method: 'POST', route: 'v1/image/compress', auth: 'apiKey', rateLimit: 'capabilities', problemMembers: seedErrors, maxBodyBytes: CAPABILITIES_MAX_BODY_BYTES,
    summary:
      'The seed\'s image compression: `{image_url? | image_base64?, options: {quality, format, max_width, max_height}}` (or multipart/form-data with the image in `file` and the options as fields). Re-encodes in webp (default), jpeg, png or avif, fitted inside max_width × max_height (never enlarged), EXIF-oriented and stripped, and writes it to the output store.',
    request: { handlerBody: compressInput, contentTypes: bodies },
    responses: { 200: { description: 'The output URL and metadata', schema: compressAnswer }, ...refusals },
  },
  handler: 'handlers/capabilities/plugins.routes#compress',
});

export const plugins = defineFunction({
  name: 'capabilities-plugins',
  trigger: {
    kind: 'http', method: 'GET', route: 'v1/plugins', auth: 'public', problemMembers: seedErrors,
    summary: 'The plugin registry: each configured plugin\'s name, category, mode (sync, async, both), limits, max_file_size, supported_formats and input JSON schema.',
    responses: { 200: { description: 'The registry', schema: pluginsAnswer } },
  },
  handler: 'handlers/capabilities/plugins.routes#list',
});

export const runPlugin = defineFunction({
  name: 'capabilities-run',
  trigger: {
    kind: 'http', method: 'POST', route: 'v1/plugins/{name}', auth: 'apiKey', rateLimit: 'capabilities', problemMembers: seedErrors, maxBodyBytes: CAPABILITIES_MAX_BODY_BYTES,
    summary:
      'Runs a plugin synchronously on its input (JSON, or multipart/form-data with the file in `file` and the other fields as text). Answers `{success, data, execution_time_ms}`; `data` is the plugin\'s result. Within CAPABILITIES_SYNC_TIMEOUT_SECONDS.',
    request: { handlerBody: pluginInput, contentTypes: bodies },
    responses: { 200: { description: 'The plugin\'s result', schema: pluginAnswer }, ...refusals },
  },
  handler: 'handlers/capabilities/plugins.routes#run',
});

export const submitJob = defineFunction({
  name: 'capabilities-submit-job',
  trigger: {
    kind: 'http', method: 'POST', route: 'v1/jobs', auth: 'apiKey', rateLimit: 'capabilities', problemMembers: seedErrors, maxBodyBytes: CAPABILITIES_MAX_BODY_BYTES,
    summary:
      'Runs a plugin as a job: the input is checked now, the job runs on the `capabilities-jobs` queue (retried with backoff, then dead-lettered), and with `callback_url` the outcome is POSTed there signed with the key\'s secret (Standard Webhooks headers; CAPABILITIES_WEBHOOK_SECRETS).',
    request: { body: submitRequest },
    responses: { 202: { description: 'Queued', schema: submitAnswer }, ...refusals },
  },
  handler: 'handlers/capabilities/jobs.routes#submit',
});

export const jobStatus = defineFunction({
  name: 'capabilities-job-status',
  trigger: {
    kind: 'http', method: 'GET', route: 'v1/jobs/{id}', auth: 'apiKey', rateLimit: 'capabilities', problemMembers: seedErrors,
    summary: 'A job of this key\'s: `queued`, `running`, `succeeded` (with `result`) or `failed` (with `error`), and its callback\'s delivery. 404 for another key\'s job.',
    responses: { 200: { description: 'The job', schema: jobAnswer }, 401: refusals[401], 404: { description: '`not_found`' } },
  },
  handler: 'handlers/capabilities/jobs.routes#status',
});

export const capabilitiesFunctions: readonly FunctionDef[] = [health, compress, plugins, runPlugin, submitJob, jobStatus];

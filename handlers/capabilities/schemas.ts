/** The capability routes' request and response shapes (the API reference shows these). */
import { compressInput } from '../../domain/capabilities/schemas.ts';

export { compressInput };

const problemCodes = (codes: string) => ({ description: codes });

export const compressAnswer = {
  type: 'object',
  required: ['success', 'data', 'execution_time_ms'],
  properties: {
    success: { const: true },
    data: {
      type: 'object',
      required: ['output_url', 'metadata'],
      properties: {
        output_url: { type: 'string', format: 'uri', description: 'The public URL (CAPABILITIES_PUBLIC_BASE_URL + key) or a signed read URL.' },
        metadata: {
          type: 'object',
          required: ['original_size', 'compressed_size', 'compression_ratio', 'width', 'height', 'format'],
          properties: {
            original_size: { type: 'integer' },
            compressed_size: { type: 'integer' },
            compression_ratio: { type: 'number', description: 'The share saved: 1 - compressed/original.' },
            width: { type: 'integer' },
            height: { type: 'integer' },
            format: { enum: ['webp', 'jpeg', 'png', 'avif'] },
          },
        },
      },
    },
    execution_time_ms: { type: 'integer' },
  },
} as const;

export const pluginAnswer = {
  type: 'object',
  required: ['success', 'data', 'execution_time_ms'],
  properties: { success: { const: true }, data: { type: 'object', description: "The plugin's result (see its README entry)." }, execution_time_ms: { type: 'integer' } },
} as const;

/** Any plugin's input, for the docs: each plugin's own schema is in GET /api/v1/plugins. */
export const pluginInput = { type: 'object', description: "The plugin's input (its `input_schema` in GET /api/v1/plugins); or multipart/form-data with the file in `file`." } as const;

const pluginStatus = {
  type: 'object',
  required: ['name', 'display_name', 'category', 'enabled', 'healthy'],
  properties: {
    name: { type: 'string' },
    display_name: { type: 'string' },
    category: { enum: ['image', 'video', 'document', 'ai'] },
    enabled: { type: 'boolean' },
    healthy: { type: 'boolean' },
    reason: { type: 'string', description: 'Why it cannot run here (disabled, a missing binary or model).' },
    configured: { const: false, description: 'It cannot run only because an optional service is not configured (it does not make the status degraded).' },
  },
} as const;

export const healthAnswer = {
  type: 'object',
  required: ['status', 'version', 'plugins'],
  properties: { status: { enum: ['healthy', 'degraded'], description: '`degraded` when an enabled plugin that is configured cannot run here.' }, version: { type: 'string' }, plugins: { type: 'array', items: pluginStatus } },
} as const;

export const pluginsAnswer = {
  type: 'object',
  required: ['plugins'],
  properties: {
    plugins: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'display_name', 'category', 'mode', 'enabled', 'max_file_size', 'supported_formats', 'limits', 'input_schema'],
        properties: {
          name: { type: 'string' },
          display_name: { type: 'string' },
          category: { enum: ['image', 'video', 'document', 'ai'] },
          mode: { enum: ['sync', 'async', 'both'] },
          enabled: { type: 'boolean' },
          max_file_size: { type: 'integer' },
          supported_formats: { type: 'array', items: { type: 'string' } },
          limits: { type: 'object', additionalProperties: { type: 'number' } },
          input_schema: { type: 'object' },
        },
      },
    },
  },
} as const;

export const submitRequest = {
  type: 'object',
  additionalProperties: false,
  required: ['plugin', 'input'],
  properties: {
    plugin: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' },
    input: { type: 'object', description: "The plugin's input (its `input_schema`)." },
    callback_url: { type: 'string', format: 'uri', maxLength: 2048, description: 'POSTed the outcome as a signed Standard Webhooks delivery (public http(s) addresses only).' },
  },
} as const;

export const submitAnswer = {
  type: 'object',
  required: ['job_id', 'status'],
  properties: { job_id: { type: 'string' }, status: { const: 'queued' } },
} as const;

export const jobAnswer = {
  type: 'object',
  required: ['job_id', 'plugin', 'status', 'attempts', 'created_at', 'updated_at'],
  properties: {
    job_id: { type: 'string' },
    plugin: { type: 'string' },
    status: { enum: ['queued', 'running', 'succeeded', 'failed'] },
    retrying: { type: 'boolean', description: 'An attempt failed and another is scheduled.' },
    attempts: { type: 'integer' },
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
    completed_at: { type: 'string', format: 'date-time' },
    result: { type: 'object', description: "The plugin's result, as the sync route's `data`." },
    error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } },
    callback: { type: 'object', properties: { url: { type: 'string' }, status: { enum: ['pending', 'delivered', 'failed'] }, attempts: { type: 'integer' } } },
  },
} as const;

export const refusals = {
  400: problemCodes('`validation_failed`, `invalid_input`, `missing_input`, `malformed_multipart`, `mode_not_supported`, `url_not_allowed` and the other URL refusals'),
  401: problemCodes('`unauthorized`: no valid X-API-Key'),
  404: problemCodes('`plugin_not_found`, `plugin_disabled`'),
  413: problemCodes('`input_too_large` (max_file_size, or a plugin cap: pixels, pages, duration), `payload_too_large`'),
  415: problemCodes('`unsupported_format` (judged by the content), `unsupported_media_type`'),
  422: problemCodes('`fetch_failed` (the URL could not be read), `processing_timeout`'),
  429: problemCodes('`rate_limited` (RATE_LIMIT_CAPABILITIES per key), `quota_exceeded` (CAPABILITIES_DAILY_QUOTA per key per 24 h)'),
  503: problemCodes('`plugin_unavailable`: enabled but it cannot run here (see GET /api/v1/health)'),
} as const;

/**
 * Input schemas shared by a plugin and the route that documents it: image-compress's is the
 * seed's body of POST /api/v1/image/compress, so the API reference and the plugin use one.
 */

/** The input file of an image plugin: a URL or base64 (or a multipart upload instead). */
export const imageSource = {
  image_url: { type: 'string', format: 'uri', maxLength: 2048, description: 'A public http(s) URL of the image (fetched with the SSRF rules).' },
  image_base64: { type: 'string', description: 'The image as base64 (a data: URL is accepted).' },
} as const;

export const compressOptions = {
  type: 'object',
  additionalProperties: false,
  properties: {
    quality: { type: 'integer', minimum: 1, maximum: 100, description: 'Encoder quality (default 80).' },
    format: { enum: ['webp', 'jpeg', 'png', 'avif'], description: 'Output format (default webp).' },
    max_width: { type: 'integer', minimum: 1, maximum: 16384, description: 'Fit inside this width (never enlarged).' },
    max_height: { type: 'integer', minimum: 1, maximum: 16384, description: 'Fit inside this height (never enlarged).' },
  },
} as const;

/**
 * A file plugin's input schema: its source fields (`imageSource`, ...) and an `options` object
 * of `options.properties` (and `required` or `anyOf` when it has them), itself required when
 * `required` is true. No other field is taken.
 */
export const fileInputSchema = (source: Readonly<Record<string, unknown>>, options: { properties: Record<string, unknown>; required?: string[]; anyOf?: unknown[] }, required = false) => ({
  type: 'object',
  additionalProperties: false,
  ...(required ? { required: ['options'] } : {}),
  properties: { ...source, options: { type: 'object', additionalProperties: false, ...options } },
});

/** POST /api/v1/image/compress, as the seed gives it. */
export const compressInput = {
  type: 'object',
  additionalProperties: false,
  properties: { ...imageSource, options: compressOptions },
} as const;

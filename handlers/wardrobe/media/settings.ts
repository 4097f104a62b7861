/**
 * Media and metadata settings, read from the environment and validated (a bad value stops
 * start-up with a ConfigError naming the variable). The seed's names are kept where it has them.
 */
import type { ProtectedClass } from '../../../kernel/functions.ts';
import { ConfigError, integer, text, type Env } from '../../../kernel/env.ts';
import { loadSegmentationSettings, type SegmentationSettings } from '../../../kernel/segmentation.ts';
import { MIN_API_KEY_LENGTH, MAX_API_KEY_LENGTH, type OidcSettings } from '../../../middleware/auth/settings.ts';

export interface MediaSettings {
  /** Originals, exactly as uploaded (ARCHIVE_CONTAINER_NAME). */
  archiveContainer: string;
  /** Processed WebP images (WARDROBE_IMAGES_CONTAINER_NAME). */
  imagesContainer: string;
  /** Lifetime of the read URLs handed out (WARDROBE_IMAGE_URL_TTL_SECONDS). */
  urlTtlSeconds: number;
  /** Decompression-bomb guard: width × height (WARDROBE_IMAGE_MAX_PIXELS). */
  maxInputPixels: number;
  /** Background removal; absent unless both SEGMENTATION_ENDPOINT_URL and SEGMENTATION_SHARED_TOKEN are set. */
  segmentation: SegmentationSettings | undefined;
  /** An extra API key accepted on the metadata route only (METADATA_EXTRACT_API_KEY). */
  metadataApiKey: string | undefined;
  /**
   * Who may call the metadata route (METADATA_EXTRACT_AUTH_MODE): API keys, signed-in users, or
   * either (the default). The route's definition declares both; its authenticator narrows to these.
   */
  metadataAuthClasses: readonly ProtectedClass[];
}

/** The processed image's long side, and the upload limit (the seed's 10 MB). */
export const MAX_EDGE = 2048;
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** `imageBase64` on the metadata route: at most this many decoded bytes. */
export const MAX_METADATA_IMAGE_BYTES = 5 * 1024 * 1024;

const CONTAINER = /^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/;

function container(env: Env, name: string, fallback: string): string {
  const value = text(env, name) ?? fallback;
  if (!CONTAINER.test(value)) throw new ConfigError(name, `must be a storage container name (3-63 lowercase letters, digits and single hyphens), got "${value}"`);
  return value;
}

function metadataApiKey(env: Env): string | undefined {
  const name = 'METADATA_EXTRACT_API_KEY';
  // Not trimmed: the bytes are the key. Never echo it.
  const key = env[name];
  if (key === undefined || key === '') return undefined;
  if (key.length < MIN_API_KEY_LENGTH || key.length > MAX_API_KEY_LENGTH) throw new ConfigError(name, `must be ${MIN_API_KEY_LENGTH}-${MAX_API_KEY_LENGTH} characters`);
  if (!/^[\x21-\x2b\x2d-\x7e]+$/.test(key)) throw new ConfigError(name, 'may hold only printable ASCII without spaces or commas');
  return key;
}

export function loadMediaSettings(env: Env): MediaSettings {
  return Object.freeze({
    archiveContainer: container(env, 'ARCHIVE_CONTAINER_NAME', 'wardrobe-archive'),
    imagesContainer: container(env, 'WARDROBE_IMAGES_CONTAINER_NAME', 'wardrobe-images'),
    urlTtlSeconds: integer(env, 'WARDROBE_IMAGE_URL_TTL_SECONDS', 3600, 60, 7 * 24 * 3600),
    maxInputPixels: integer(env, 'WARDROBE_IMAGE_MAX_PIXELS', 50_000_000, 1_000_000, 268_402_689),
    segmentation: loadSegmentationSettings(env),
    metadataApiKey: metadataApiKey(env),
    metadataAuthClasses: metadataAuthClasses(env),
  });
}

/**
 * METADATA_EXTRACT_AUTH_MODE to the classes the metadata route accepts. The seed's values and the
 * spellings used elsewhere are both accepted: `api_key`/`api-key`, `entra`/`azure-ad`/`azure_ad`,
 * `either`. `entra` means a signed-in bearer token: Entra ID (or the configured OIDC issuer) and
 * Portico's own tokens are one class, `user`.
 */
export function metadataAuthClasses(env: Env): readonly ProtectedClass[] {
  const name = 'METADATA_EXTRACT_AUTH_MODE';
  const mode = (text(env, name) ?? 'either').toLowerCase();
  if (['api_key', 'api-key', 'apikey'].includes(mode)) return ['apiKey'];
  if (['entra', 'azure-ad', 'azure_ad'].includes(mode)) return ['user'];
  if (mode === 'either') return ['apiKey', 'user'];
  throw new ConfigError(name, `must be api_key, entra or either, got "${mode}"`);
}

/**
 * The seed's METADATA_EXTRACT_AZURE_AD_AUDIENCE/_ISSUER name the Entra app that may call the
 * route. Portico verifies Entra tokens with one identity provider (AZURE_TENANT_ID and
 * AZURE_CLIENT_ID, or OIDC_ISSUER and OIDC_AUDIENCE); when the seed's pair is set it must agree
 * with that provider, so an old configuration cannot silently mean something else.
 */
export function checkMetadataEntraSettings(env: Env, oidc: OidcSettings | undefined): void {
  const audience = text(env, 'METADATA_EXTRACT_AZURE_AD_AUDIENCE');
  const issuer = text(env, 'METADATA_EXTRACT_AZURE_AD_ISSUER');
  if (!audience && !issuer) return;
  const variable = audience ? 'METADATA_EXTRACT_AZURE_AD_AUDIENCE' : 'METADATA_EXTRACT_AZURE_AD_ISSUER';
  if (!oidc) throw new ConfigError(variable, 'is set, but no Entra/OIDC provider is: set AZURE_TENANT_ID and AZURE_CLIENT_ID (or OIDC_ISSUER and OIDC_AUDIENCE)');
  if (issuer && issuer.replace(/\/+$/, '') !== oidc.issuer.replace(/\/+$/, '')) {
    throw new ConfigError('METADATA_EXTRACT_AZURE_AD_ISSUER', `must match the configured issuer "${oidc.issuer}"`);
  }
  if (audience && !oidc.audiences.includes(audience.toLowerCase()) && !oidc.audiences.includes(audience)) {
    throw new ConfigError('METADATA_EXTRACT_AZURE_AD_AUDIENCE', `must be one of the configured audiences (${oidc.audiences.join(', ')})`);
  }
}

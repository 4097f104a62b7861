/**
 * The capability service's settings (deps.settings), read at bind time and by start-up's check,
 * so a bad value (or a bad plugins.yaml) stops the start naming the variable or the key.
 */
import { boolean, ConfigError, integer, list, serviceUrl, text, type Env } from '../../kernel/env.ts';
import type { PluginsConfig } from '../../domain/capabilities/config.ts';
import type { PageFetchSettings as SafeFetchSettings } from '../../domain/wardrobe/page-fetch.ts';
import { parseWebhookSecret } from '../../middleware/webhooks.ts';
import type { KeyObject } from 'node:crypto';
import type { OutputSettings } from './context.ts';
import type { ObjectStoreSettings } from '../../domain/capabilities/ports.ts';
import { loadSegmentationSettings, type SegmentationSettings } from '../../kernel/segmentation.ts';
import { DEFAULT_PLUGINS_FILE, readPluginsFile } from './plugins-file.ts';

export interface CapabilitiesSettings {
  plugins: PluginsConfig;
  pluginsFile: string;
  output: OutputSettings;
  /** Set: outputs go to this S3-compatible store (the bucket is `output.container`); unset: the platform's blob store. */
  objectStore?: ObjectStoreSettings;
  fetch: SafeFetchSettings;
  /** The deadline of a synchronous call, and of one attempt of a job. */
  syncTimeoutMs: number;
  jobTimeoutMs: number;
  /** Calls per key per 24 h (CAPABILITIES_DAILY_QUOTA), with per-key exceptions (CAPABILITIES_KEY_QUOTAS). */
  dailyQuota: number;
  keyQuotas: ReadonlyMap<string, number>;
  /** Per API key name, the Standard Webhooks secret its callbacks are signed with. */
  webhookSecrets: ReadonlyMap<string, KeyObject>;
  /** How long a job's result can be read back. */
  resultTtlSeconds: number;
  /** For image-remove-background (SEGMENTATION_*, shared with the wardrobe). */
  segmentation: SegmentationSettings | undefined;
}

export const CAPABILITIES_VARIABLES = [
  'CAPABILITIES_PLUGINS_FILE', 'CAPABILITIES_OUTPUT_CONTAINER', 'CAPABILITIES_OUTPUT_PREFIX', 'CAPABILITIES_PUBLIC_BASE_URL',
  'CAPABILITIES_SIGNED_URL_TTL_SECONDS', 'CAPABILITIES_ALLOW_LOOPBACK_URLS', 'CAPABILITIES_FETCH_TIMEOUT_MS', 'CAPABILITIES_FETCH_MAX_REDIRECTS',
  'CAPABILITIES_SYNC_TIMEOUT_SECONDS', 'CAPABILITIES_JOB_TIMEOUT_SECONDS', 'CAPABILITIES_DAILY_QUOTA', 'CAPABILITIES_KEY_QUOTAS',
  'CAPABILITIES_WEBHOOK_SECRETS', 'CAPABILITIES_RESULT_TTL_SECONDS',
  'R2_ACCOUNT_ID', 'R2_ENDPOINT', 'R2_ACCESS_KEY_ID', 'R2_SECRET_ACCESS_KEY', 'R2_BUCKET_NAME', 'R2_PUBLIC_URL', 'R2_FORCE_PATH_STYLE',
] as const;

const KEY_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** `name:value,name:value` into a map, each name an API key's name (API_KEYS' own syntax). */
function pairs(env: Env, variable: string, check: (value: string, where: string) => void): Map<string, string> {
  const result = new Map<string, string>();
  for (const entry of list(env, variable)) {
    const at = entry.indexOf(':');
    const name = entry.slice(0, at).trim();
    const value = entry.slice(at + 1).trim();
    if (at < 1 || !KEY_NAME.test(name) || value === '') throw new ConfigError(variable, `entries are name:value with an API key's name, got "${at < 1 ? entry : name}"`);
    if (result.has(name)) throw new ConfigError(variable, `names "${name}" twice`);
    check(value, `entry "${name}"`);
    result.set(name, value);
  }
  return result;
}

function objectStore(env: Env): ObjectStoreSettings | undefined {
  const bucket = text(env, 'R2_BUCKET_NAME');
  if (!bucket) return undefined;
  if (!/^[a-z0-9][a-z0-9.-]{1,62}$/.test(bucket)) throw new ConfigError('R2_BUCKET_NAME', `must be a bucket name (3-63 lower-case letters, digits, dots, hyphens), got "${bucket}"`);
  const account = text(env, 'R2_ACCOUNT_ID');
  if (account !== undefined && !/^[0-9a-f]{32}$/.test(account)) throw new ConfigError('R2_ACCOUNT_ID', 'must be a Cloudflare account id (32 hex digits)');
  const endpoint = serviceUrl(env, 'R2_ENDPOINT') ?? (account ? new URL(`https://${account}.r2.cloudflarestorage.com`) : undefined);
  if (!endpoint) throw new ConfigError('R2_ENDPOINT', 'or R2_ACCOUNT_ID is required when R2_BUCKET_NAME is set');
  const accessKeyId = text(env, 'R2_ACCESS_KEY_ID');
  const secretAccessKey = text(env, 'R2_SECRET_ACCESS_KEY');
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) throw new ConfigError(accessKeyId ? 'R2_SECRET_ACCESS_KEY' : 'R2_ACCESS_KEY_ID', 'is required with the other key of the pair');
  return {
    endpoint: endpoint.href.replace(/\/$/, ''),
    // R2 takes `auto`; S3 itself wants the bucket's region, which the SDK reads from AWS_REGION.
    region: account ? 'auto' : (text(env, 'AWS_REGION') ?? 'auto'),
    bucket,
    ...(accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : {}),
    forcePathStyle: boolean(env, 'R2_FORCE_PATH_STYLE', !account),
  };
}

export function loadCapabilitiesSettings(env: Env): CapabilitiesSettings {
  const pluginsFile = text(env, 'CAPABILITIES_PLUGINS_FILE') ?? DEFAULT_PLUGINS_FILE;
  let plugins: PluginsConfig;
  try {
    plugins = readPluginsFile(pluginsFile);
  } catch (error) {
    throw new ConfigError('CAPABILITIES_PLUGINS_FILE', `names a plugins file with a problem: ${(error as Error).message}`);
  }
  const store = objectStore(env);
  const publicBase = serviceUrl(env, 'CAPABILITIES_PUBLIC_BASE_URL') ?? serviceUrl(env, 'R2_PUBLIC_URL');
  const prefix = text(env, 'CAPABILITIES_OUTPUT_PREFIX') ?? 'uploads/';
  if (!/^([A-Za-z0-9_.-]+\/)*$/.test(prefix)) throw new ConfigError('CAPABILITIES_OUTPUT_PREFIX', `must be empty or folder names each ending in /, got "${prefix}"`);
  const container = store?.bucket ?? text(env, 'CAPABILITIES_OUTPUT_CONTAINER') ?? 'capabilities-output';
  if (!/^[a-z0-9](?!.*--)[a-z0-9.-]{1,61}[a-z0-9]$/.test(container)) throw new ConfigError('CAPABILITIES_OUTPUT_CONTAINER', `must be a container name (3-63 lower-case letters, digits and single hyphens), got "${container}"`);
  return {
    plugins,
    pluginsFile,
    output: {
      container,
      prefix,
      ...(publicBase ? { publicBaseUrl: publicBase.href.replace(/\/+$/, '') } : {}),
      signedUrlTtlSeconds: integer(env, 'CAPABILITIES_SIGNED_URL_TTL_SECONDS', 3600, 60, 7 * 86_400),
    },
    ...(store ? { objectStore: store } : {}),
    fetch: {
      timeoutMs: integer(env, 'CAPABILITIES_FETCH_TIMEOUT_MS', 15_000, 500, 120_000),
      // The cap per call is the plugin's max_file_size; this is the ceiling of every cap.
      maxBytes: 2 ** 31,
      maxRedirects: integer(env, 'CAPABILITIES_FETCH_MAX_REDIRECTS', 5, 0, 10),
      // Only for local testing: a deployment never fetches from (or calls back to) its own network.
      allowLoopback: boolean(env, 'CAPABILITIES_ALLOW_LOOPBACK_URLS', false),
      userAgent: 'Mozilla/5.0 (compatible; PorticoCapabilities/1.0)',
    },
    syncTimeoutMs: integer(env, 'CAPABILITIES_SYNC_TIMEOUT_SECONDS', 25, 1, 220) * 1000,
    jobTimeoutMs: integer(env, 'CAPABILITIES_JOB_TIMEOUT_SECONDS', 240, 5, 3600) * 1000,
    dailyQuota: integer(env, 'CAPABILITIES_DAILY_QUOTA', 1000, 1, 10_000_000),
    keyQuotas: new Map(
      [...pairs(env, 'CAPABILITIES_KEY_QUOTAS', (value, where) => {
        if (!/^\d{1,8}$/.test(value) || Number(value) < 1) throw new ConfigError('CAPABILITIES_KEY_QUOTAS', `${where}: the quota must be a whole number of calls from 1, got "${value}"`);
      })].map(([name, value]) => [name, Number(value)]),
    ),
    webhookSecrets: new Map(
      [...pairs(env, 'CAPABILITIES_WEBHOOK_SECRETS', () => undefined)].map(([name, value]) => {
        try {
          return [name, parseWebhookSecret(value)];
        } catch (error) {
          // Never echo the value: it is a secret.
          throw new ConfigError('CAPABILITIES_WEBHOOK_SECRETS', `entry "${name}": ${(error as Error).message}`);
        }
      }),
    ),
    resultTtlSeconds: integer(env, 'CAPABILITIES_RESULT_TTL_SECONDS', 7 * 86_400, 60, 90 * 86_400),
    segmentation: loadSegmentationSettings(env),
  };
}

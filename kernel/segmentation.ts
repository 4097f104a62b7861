/**
 * The segmentation service's settings, shared by every service that removes backgrounds (the
 * wardrobe's uploads, the capability plugin): one reader, so both agree on what is configured.
 */
import { ConfigError, integer, serviceUrl, text, type Env } from './env.ts';

export interface SegmentationSettings {
  endpoint: URL;
  token: string;
  timeoutMs: number;
}

export const SEGMENTATION_VARIABLES = ['SEGMENTATION_ENDPOINT_URL', 'SEGMENTATION_SHARED_TOKEN', 'SEGMENTATION_TIMEOUT_MS'] as const;

/** Absent unless both SEGMENTATION_ENDPOINT_URL and SEGMENTATION_SHARED_TOKEN are set. */
export function loadSegmentationSettings(env: Env): SegmentationSettings | undefined {
  const endpoint = text(env, 'SEGMENTATION_ENDPOINT_URL');
  const token = text(env, 'SEGMENTATION_SHARED_TOKEN');
  const timeoutMs = integer(env, 'SEGMENTATION_TIMEOUT_MS', 20_000, 100, 120_000);
  if (!endpoint && !token) return undefined;
  if (!endpoint) throw new ConfigError('SEGMENTATION_ENDPOINT_URL', 'is required when SEGMENTATION_SHARED_TOKEN is set');
  if (!token) throw new ConfigError('SEGMENTATION_SHARED_TOKEN', 'is required when SEGMENTATION_ENDPOINT_URL is set');
  // The shared token travels with every call: only over TLS, or to this machine (serviceUrl's rule).
  return { endpoint: serviceUrl(env, 'SEGMENTATION_ENDPOINT_URL')!, token, timeoutMs };
}

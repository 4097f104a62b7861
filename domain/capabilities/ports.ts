/** What the capability service needs from the network beyond the blob store and the model. */
import type { CapabilityPlugin, SourceFile } from './plugin.ts';

export interface FetchedFile extends SourceFile {
  /** The URL the file was finally read from, after redirects. */
  url: string;
}

/**
 * Fetches an input file by URL under the SSRF policy (public addresses only, every redirect
 * re-checked, one deadline, the body cut off at `maxBytes`). Refusals are 400s
 * (`url_not_allowed`, ...); an unreadable site is 422 `fetch_failed`; past the cap, 413.
 */
export interface FileFetcher {
  fetchFile(url: string, options: { maxBytes: number; signal?: AbortSignal }): Promise<FetchedFile>;
}

/** An S3-compatible object store for the outputs (Cloudflare R2 as the seed, MinIO, S3 itself). */
export interface ObjectStoreSettings {
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle: boolean;
}

/** Plugin modules by name, and the run-time packages a deployment lacks (adapters/capabilities/load-plugin.ts). */
export interface CapabilityPluginLoader {
  load(name: string): Promise<CapabilityPlugin>;
  missingPackages(names: readonly string[]): Promise<string[]>;
}

/**
 * The capability plugin contract (seed 003, image2url): a plugin is one module that declares
 * what it is and what it takes, and a `process(input, ctx)` that does the work with what the
 * context hands it. The registry validates the input against `inputSchema` (ajv) before
 * `process` runs, so a plugin only ever sees input of its own shape.
 *
 * A plugin module loads its heavy library (sharp, tesseract.js, pdf.js, ffmpeg) inside
 * `process` or `health`, never at import: the registry imports every enabled plugin to list it.
 */
import type { LanguageModel } from '../ai.ts';
import type { BackgroundRemover } from '../wardrobe/media.ts';

export type PluginCategory = 'image' | 'video' | 'document' | 'ai';
/** `sync`: POST /api/v1/plugins/{name} only; `async`: POST /api/v1/jobs only; `both`: either. */
export type ProcessingMode = 'sync' | 'async' | 'both';

/** A plugin's entry of plugins.yaml, as validated at start-up. */
export interface PluginConfig {
  enabled: boolean;
  /** The largest input file, in bytes (after base64 decoding; a URL's body is cut off here). */
  max_file_size: number;
  /** Input formats taken, by file extension (`jpg`, `pdf`, `mp4`); empty means any the plugin reads. */
  supported_formats: readonly string[];
  /** The plugin's own options (its defaults and caps), as plugins.yaml gives them. */
  options: Readonly<Record<string, unknown>>;
}

/** The input file, however it came: uploaded (multipart), fetched from a URL, or decoded from base64. */
export interface SourceFile {
  bytes: Uint8Array;
  /** As declared by the sender (Content-Type of the part or the URL's response), when it declared one. */
  contentType?: string;
  filename?: string;
}

/** One object written to the output store. */
export interface StoredOutput {
  /** The public URL when a public base is configured, else a signed read URL. */
  url: string;
  /** The object's key: unguessable (128 random bits). */
  key: string;
  size: number;
  contentType: string;
}

export interface PluginLog {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface Deadline {
  /** Aborted when the time is up: hand it to every fetch and model call, and kill child processes on it. */
  signal: AbortSignal;
  /** Milliseconds left (never negative). */
  remainingMs(): number;
}

export interface PluginContext {
  /** This plugin's plugins.yaml entry. */
  config: PluginConfig;
  /**
   * The input file named by `<kind>_url` or `<kind>_base64` of the input (e.g. `image_url`), or the
   * uploaded file of a multipart request, capped at `max_file_size` and checked against
   * `supported_formats` by its content. A 400 problem when there is none or it is refused.
   */
  source(input: object, kind: SourceKind): Promise<SourceFile>;
  /** Writes one output object under an unguessable key; `suffix` ends its name (`compressed`, `page-1`). */
  output(bytes: Uint8Array, options: { contentType: string; extension: string; suffix: string }): Promise<StoredOutput>;
  /** The language model port (OpenAI, Azure OpenAI, or the deterministic offline model). */
  model: LanguageModel;
  /** Background removal, when SEGMENTATION_URL is configured. */
  segmentation?: BackgroundRemover;
  log: PluginLog;
  deadline: Deadline;
}

/** The input field prefix of a plugin's file: `image_url` / `image_base64`, `pdf_url` / ... */
export type SourceKind = 'image' | 'pdf' | 'video' | 'file';

/** What a health check may look at besides its plugins.yaml entry: the optional ports this deployment configured. */
export interface HealthContext {
  /** Background removal, when SEGMENTATION_* is configured. */
  segmentation?: BackgroundRemover;
}

export interface PluginHealth {
  healthy: boolean;
  /** Why not, when it cannot run here (a missing binary or model). */
  reason?: string;
  /**
   * false: it cannot run only because an optional service is not configured here (background
   * removal without SEGMENTATION_*). Listed as unhealthy, but a deployment's choice, not a fault:
   * it does not make the service `degraded`.
   */
  configured?: false;
}

/** The service's status from its plugins': `degraded` when an enabled, configured plugin cannot run. */
export function serviceStatus(plugins: readonly (PluginHealth & { enabled: boolean })[]): 'healthy' | 'degraded' {
  return plugins.some((plugin) => plugin.enabled && !plugin.healthy && plugin.configured !== false) ? 'degraded' : 'healthy';
}

/** What a plugin answers: the `data` of the response, JSON only. */
export type PluginResult = Record<string, unknown>;

export interface CapabilityPlugin<I = Record<string, unknown>> {
  /** Lower-case, dashed, unique; the key of its plugins.yaml entry and its route segment. */
  name: string;
  display_name: string;
  category: PluginCategory;
  mode: ProcessingMode;
  /** A JSON Schema (draft 2020-12 subset ajv compiles) of the input; listed by GET /api/v1/plugins. */
  inputSchema: Record<string, unknown>;
  /** The plugin's own hard limits beyond max_file_size (pages, pixels, seconds), for the registry listing. */
  limits: Readonly<Record<string, number>>;
  /**
   * The npm packages it loads at run time that a deployment may not ship (native binaries, wasm,
   * model data: a Lambda bundle leaves them out). Where one is missing the plugin is unhealthy, saying which.
   */
  packages?: readonly string[];
  /** Can it run here? Checked by GET /api/v1/health (cheap: a binary's presence, a model file's). */
  health?(config: PluginConfig, context: HealthContext): Promise<PluginHealth>;
  process(input: I, ctx: PluginContext): Promise<PluginResult>;
}

/** Declares a plugin (typed input, checked shape); the default export of a plugin module. */
export function definePlugin<I>(plugin: CapabilityPlugin<I>): CapabilityPlugin<I> {
  return plugin;
}

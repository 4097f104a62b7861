/**
 * Reads plugins.yaml (CAPABILITIES_PLUGINS_FILE, default config/plugins.yaml from the working
 * directory: the project root locally and on Azure, the bundle root on Lambda, where
 * serverless.yml packages it) with the maintained `yaml` parser, and checks it.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse, YAMLParseError } from 'yaml';
import { checkPluginsConfig, PluginsConfigError, type PluginsConfig } from '../../domain/capabilities/config.ts';

export const DEFAULT_PLUGINS_FILE = 'config/plugins.yaml';

/** Parses the text of a plugins.yaml; a syntax error is a PluginsConfigError naming the line. */
export function parsePluginsYaml(text: string, where = DEFAULT_PLUGINS_FILE): PluginsConfig {
  let raw: unknown;
  try {
    // Duplicate keys are an error (uniqueKeys), and no custom tags: the file is data.
    raw = parse(text, { uniqueKeys: true, schema: 'core', maxAliasCount: 0 });
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const line = error.linePos?.[0]?.line;
      throw new PluginsConfigError(where, `is not valid YAML${line ? ` (line ${line})` : ''}: ${error.message.split('\n')[0]}`);
    }
    throw error;
  }
  return checkPluginsConfig(raw);
}

export function readPluginsFile(path = DEFAULT_PLUGINS_FILE): PluginsConfig {
  let text: string;
  try {
    text = readFileSync(resolve(path), 'utf8');
  } catch (error) {
    throw new PluginsConfigError(path, `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return parsePluginsYaml(text, path);
}

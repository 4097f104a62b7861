/** Files at the project root (package.json, host.json), found the same way from sources and from dist/. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'host.json')) && existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error('Cannot find the project root (host.json beside package.json).');
  }
}

export const projectRoot = findRoot(dirname(fileURLToPath(import.meta.url)));

export function readProjectJson<T>(name: string): T {
  return JSON.parse(readFileSync(join(projectRoot, name), 'utf8')) as T;
}

export const version: string = readProjectJson<{ version: string }>('package.json').version;

/** `.data/` at the project root (git-ignored), or PORTICO_DATA_DIR: where `npm start` keeps the emulators' data. */
export const localDataDir = (): string => process.env.PORTICO_DATA_DIR ?? join(projectRoot, '.data');


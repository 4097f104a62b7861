/**
 * The two things the Lambda bundles need beyond esbuild's defaults, each proved on a small bundle
 * run by plain Node outside the project (as Lambda runs it): the `require` banner, and the
 * embedded project files.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { build, type BuildOptions } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { embeddedFsModule, embedProjectFiles } from '../../adapters/aws/esbuild-plugins.ts';
import { serverlessConfig } from '../../adapters/aws/serverless-config.ts';
import { functions } from '../../app/functions.ts';

const esbuild = (serverlessConfig(functions) as { custom: { esbuild: Record<string, unknown> } }).custom.esbuild;
// What serverless-esbuild hands esbuild, minus its own options.
const { bundle, format, platform, target, banner } = esbuild as BuildOptions;
const lambdaOptions: BuildOptions = { bundle, format, platform, target, banner, logLevel: 'silent' };

const dir = mkdtempSync(join(tmpdir(), 'portico-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function bundleAndRun(name: string, source: string, options: BuildOptions = {}) {
  const entry = join(dir, `${name}.mjs`);
  const outfile = join(dir, 'out', `${name}.mjs`);
  writeFileSync(entry, source);
  await build({ ...lambdaOptions, ...options, entryPoints: [entry], outfile });
  const run = `const m = await import(${JSON.stringify(pathToFileURL(outfile).href)}); console.log(JSON.stringify(m.result));`;
  return spawnSync(process.execPath, ['--input-type=module', '-e', run], { cwd: dir, encoding: 'utf8' });
}

describe('the require banner', () => {
  writeFileSync(join(dir, 'dep.cjs'), "module.exports = require('node:path').posix.join('a', 'b');");

  it('lets a CommonJS dependency inside the ESM bundle require Node built-ins', async () => {
    const child = await bundleAndRun('cjs', "import joined from './dep.cjs'; export const result = joined;");
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toBe('a/b');
  });

  it('is needed: without it the same bundle fails', async () => {
    const child = await bundleAndRun('no-banner', "import joined from './dep.cjs'; export const result = joined;", { banner: {} });
    expect(child.status).not.toBe(0);
    expect(child.stderr).toMatch(/Dynamic require of "node:path" is not supported/);
  });
});

describe('the embedded project files', () => {
  const project = fileURLToPath(new URL('../../app/project.ts', import.meta.url));
  const source = `import { version, readProjectJson } from ${JSON.stringify(project)}; export const result = [version, readProjectJson('host.json').functionTimeout];`;
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  const host = JSON.parse(readFileSync(new URL('../../host.json', import.meta.url), 'utf8')) as { functionTimeout: string };

  it('give app/project.ts host.json and package.json far from the project, as in a Lambda zip', async () => {
    const child = await bundleAndRun('project', source, { plugins: [embedProjectFiles] });
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual([pkg.version, host.functionTimeout]);
  });

  it('are needed: without them app/project.ts cannot find the project root', async () => {
    const child = await bundleAndRun('project-bare', source);
    expect(child.stderr).toMatch(/Cannot find the project root/);
  });

  it('answer only for the embedded files', async () => {
    const module = `data:text/javascript,${encodeURIComponent(embeddedFsModule({ 'host.json': '{}' }))}`;
    const fs = (await import(module)) as { existsSync: (path: string) => boolean; readFileSync: (path: string) => string };
    expect(fs.existsSync('/var/task/host.json')).toBe(true);
    expect(fs.readFileSync('/var/task/host.json')).toBe('{}');
    expect(fs.existsSync('/var/task/package.json')).toBe(false);
    expect(() => fs.readFileSync('/var/task/other.json')).toThrow(/ENOENT/);
  });
});

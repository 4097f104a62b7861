/**
 * The settings catalog is complete and documented: every variable the code reads is listed in
 * app/settings-catalog.ts, every listed one is documented in the README and in .env.example,
 * and the deployed ones reach Lambda through serverless.yml.
 */
import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { functions, jobs } from '../../app/functions.ts';
import { deployedSettings, jobFamilySettings, SETTINGS } from '../../app/settings-catalog.ts';
import { serverlessConfig } from '../../adapters/aws/serverless-config.ts';
import { DEFAULT_RATE_LIMITS, limitVariable } from '../../middleware/rate-limit.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const SOURCE_DIRS = ['app', 'adapters', 'domain', 'handlers', 'middleware', 'kernel', 'jobs'];

/** Upper-case words that are codes, not variables (error codes, enum-like constants, suffixes). */
const NOT_SETTINGS = /^(ERR_|E[A-Z]+$|EAI_|IS_|RESPONSE_STREAM$|APPEND_PATH_TO_ADDRESS$|ZERO_RESULTS$|REQUEST_SEND_ERROR$|NODE_OPTIONS$|[A-Z][A-Z_]*_JOB$|(MAX_RETRIES|BASE_BACKOFF_SECONDS|MAX_BACKOFF_SECONDS|JITTER_SECONDS|DEDUPE_TTL_SECONDS|COMPLETED_TTL_SECONDS)$)/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Names the code reads: quoted SCREAMING_SNAKE literals and `env.NAME` / `process.env.NAME`. */
function namesReadByCode(): Set<string> {
  const names = new Set<string>();
  for (const file of SOURCE_DIRS.flatMap((dir) => sourceFiles(join(root, dir)))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)'|\benv\.([A-Z][A-Za-z0-9_]+)/g)) {
      const name = match[1] ?? match[2]!;
      if (!NOT_SETTINGS.test(name)) names.add(name);
    }
  }
  return names;
}

const catalogued = new Set<string>([
  ...Object.values(SETTINGS).flat(),
  ...jobFamilySettings(jobs),
  ...Object.keys(DEFAULT_RATE_LIMITS).map(limitVariable),
]);

describe('the settings catalog', () => {
  it('lists every variable the code reads', () => {
    const missing = [...namesReadByCode()].filter((name) => !catalogued.has(name) && !name.startsWith('RATE_LIMIT_'));
    expect(missing).toEqual([]);
  });

  it('has each variable once', () => {
    const all = Object.values(SETTINGS).flat();
    expect(all.length).toBe(new Set(all).size);
  });

  it('is documented: every variable appears in the README and in .env.example, every job family and limit in the README', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const example = readFileSync(join(root, '.env.example'), 'utf8');
    const mentions = (text: string, name: string) => new RegExp(`(^|[^A-Za-z0-9_])${name}([^A-Za-z0-9]|$)`, 'm').test(text);
    const listed = Object.values(SETTINGS).flat();
    expect(listed.filter((name) => !mentions(readme, name))).toEqual([]);
    expect(listed.filter((name) => !mentions(example, name))).toEqual([]);
    // Families are documented once as <PREFIX>_…; each family's prefix must be named.
    expect([...new Set(jobs.map((job) => job.settingsPrefix))].filter((prefix) => !mentions(readme, prefix))).toEqual([]);
    // Limits are documented in the RATE_LIMIT_<NAME> row by their <NAME>s.
    const names = Object.keys(DEFAULT_RATE_LIMITS).map((limit) => limitVariable(limit).slice('RATE_LIMIT_'.length));
    expect(names.filter((name) => !mentions(readme, name))).toEqual([]);
  });

  it('reaches Lambda: serverless.yml passes every deployed variable except those Lambda reserves', () => {
    const config = serverlessConfig(functions) as { provider: { environment: Record<string, unknown> } };
    const environment = Object.keys(config.provider.environment);
    const expected = deployedSettings(jobs, Object.keys(DEFAULT_RATE_LIMITS).map(limitVariable)).filter((name) => name !== 'AWS_REGION');
    expect(expected.filter((name) => !environment.includes(name))).toEqual([]);
    expect(environment).not.toContain('AWS_REGION');
    for (const name of SETTINGS.localHost) expect(environment).not.toContain(name);
  });

  it('.env.example is valid: its values pass start-up validation, and a bad wardrobe value stops it naming the variable', async () => {
    const values = Object.fromEntries(
      readFileSync(join(root, '.env.example'), 'utf8')
        .split('\n')
        .filter((line) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(line))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    expect(Object.keys(values).length).toBeGreaterThan(50);
    const validate = (env: Record<string, string>) =>
      new Promise<{ code: number; stderr: string }>((resolve) => {
        const script = "const { portico } = await import('./app/index.ts'); portico().validate();";
        const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !catalogued.has(name)));
        execFile(process.execPath, ['--disable-warning=ExperimentalWarning', '--input-type=module', '-e', script], { cwd: root, env: { ...clean, ...env, LOG_LEVEL: 'silent' }, encoding: 'utf8' }, (error, _stdout, stderr) =>
          resolve({ code: error ? Number(error.code ?? 1) : 0, stderr }),
        );
      });
    expect(await validate(values)).toEqual({ code: 0, stderr: '' });
    const bad = await validate({ ...values, CHAT_MAX_STREAMS_PER_USER: 'many' });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/CHAT_MAX_STREAMS_PER_USER/);
  });
});

/**
 * A bad setting stops `npm start` with one clear line, whichever setting it is: exit code 1, the
 * variable named, no stack trace, no file path, no secret echoed, and nothing started (settings
 * are checked before any emulator). The settings come from the catalog (app/settings-catalog.ts,
 * job families and limits included): each is first given a few bad values in process to find one
 * the start-up check refuses by its name, then started with it as a real process. A setting that
 * refuses none must be listed in FREE_FORM, so a new setting is either tried or knowingly free.
 */
import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jobs } from '../../app/functions.ts';
import { checkSettings } from '../../app/index.ts';
import { jobFamilySettings, SETTINGS } from '../../app/settings-catalog.ts';
import { ConfigError, type Env } from '../../kernel/env.ts';
import { DEFAULT_RATE_LIMITS, limitVariable } from '../../middleware/rate-limit.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Values no typed setting takes: not a boolean, number, name, URL, origin, list entry or member of an enum. */
const BAD_VALUES = ['maybe', '-1', 'x y'];

/** Settings read only when another is set: the others they need, valid. */
const NEEDS: Record<string, Env> = {
  COSMOS_DB_ENDPOINT: { COSMOS_DB_KEY: 'a-key' },
  COSMOS_DB_DATABASE: { COSMOS_DB_ENDPOINT: 'http://127.0.0.1:8081', COSMOS_DB_KEY: 'a-key' },
  AWS_REGION: { QUEUE_PROVIDER: 'sqs' },
  SQS_QUEUE_NAME_PREFIX: { QUEUE_PROVIDER: 'sqs', AWS_REGION: 'eu-west-1' },
  SQS_QUEUE_URL_PREFIX: { QUEUE_PROVIDER: 'sqs', AWS_REGION: 'eu-west-1' },
  AWS_ENDPOINT_URL_SQS: { QUEUE_PROVIDER: 'sqs', AWS_REGION: 'eu-west-1' },
  S3_BUCKET_PREFIX: { BLOB_PROVIDER: 's3', AWS_REGION: 'eu-west-1' },
  AWS_ENDPOINT_URL_S3: { BLOB_PROVIDER: 's3', AWS_REGION: 'eu-west-1', S3_BUCKET_PREFIX: 'portico-' },
  S3_FORCE_PATH_STYLE: { BLOB_PROVIDER: 's3', AWS_REGION: 'eu-west-1', S3_BUCKET_PREFIX: 'portico-' },
  AZURE_TENANT_ID: { AZURE_CLIENT_ID: '00000000-0000-0000-0000-000000000001' },
  AZURE_CLIENT_ID: { AZURE_TENANT_ID: '00000000-0000-0000-0000-000000000002' },
  OIDC_ISSUER: { OIDC_AUDIENCE: 'portico-api' },
  OTEL_EXPORTER_OTLP_HEADERS: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' },
  OTEL_EXPORTER_OTLP_TRACES_HEADERS: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' },
  OTEL_EXPORTER_OTLP_METRICS_HEADERS: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' },
  OTEL_METRIC_EXPORT_INTERVAL: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' },
  LANGFUSE_HOST: { LANGFUSE_PUBLIC_KEY: 'pk-lf-public', LANGFUSE_SECRET_KEY: 'sk-lf-secret' },
  LANGFUSE_BASE_URL: { LANGFUSE_PUBLIC_KEY: 'pk-lf-public', LANGFUSE_SECRET_KEY: 'sk-lf-secret' },
  SEGMENTATION_ENDPOINT_URL: { SEGMENTATION_SHARED_TOKEN: 'a-shared-token-of-some-length' },
  R2_ACCOUNT_ID: { R2_BUCKET_NAME: 'capabilities' },
  R2_ENDPOINT: { R2_BUCKET_NAME: 'capabilities' },
  R2_FORCE_PATH_STYLE: { R2_BUCKET_NAME: 'capabilities', R2_ENDPOINT: 'https://s3.example.com' },
  R2_ACCESS_KEY_ID: { R2_BUCKET_NAME: 'capabilities', R2_ENDPOINT: 'https://s3.example.com', R2_SECRET_ACCESS_KEY: 'a-secret' },
  R2_SECRET_ACCESS_KEY: { R2_BUCKET_NAME: 'capabilities', R2_ENDPOINT: 'https://s3.example.com', R2_ACCESS_KEY_ID: 'an-id' },
  AZURE_SPEECH_REGION: { VOICE_PROVIDER: 'azure-speech', AZURE_SPEECH_KEY: 'a-key', AZURE_SPEECH_COMPANY_NAME: 'Contoso' },
  AZURE_SPEECH_ENDPOINT: { VOICE_PROVIDER: 'azure-speech', AZURE_SPEECH_KEY: 'a-key', AZURE_SPEECH_COMPANY_NAME: 'Contoso' },
  AZURE_SPEECH_BASE_MODEL: { VOICE_PROVIDER: 'azure-speech', AZURE_SPEECH_KEY: 'a-key', AZURE_SPEECH_REGION: 'westeurope', AZURE_SPEECH_COMPANY_NAME: 'Contoso' },
  AZURE_SPEECH_LOCALE: { VOICE_PROVIDER: 'azure-speech', AZURE_SPEECH_KEY: 'a-key', AZURE_SPEECH_REGION: 'westeurope', AZURE_SPEECH_COMPANY_NAME: 'Contoso' },
  OPENAI_TTS_MODEL: { VOICE_PROVIDER: 'openai', OPENAI_API_KEY: 'a-key' },
  OPENAI_TTS_VOICES: { VOICE_PROVIDER: 'openai', OPENAI_API_KEY: 'a-key' },
};

/** Settings any text is a valid value of: keys, secrets, names, a path. */
const FREE_FORM: Record<string, string> = {
  AzureWebJobsStorage: 'a connection string, read by the Storage SDK',
  COSMOS_DB_KEY: 'a key',
  JWT_AUDIENCE: 'any audience string',
  OIDC_AUDIENCE: 'any audience string',
  AZURE_OPENAI_API_KEY: 'a key',
  AZURE_OPENAI_DEPLOYMENT: 'a deployment name',
  AZURE_OPENAI_API_VERSION: 'a version the service names (dates, -preview)',
  OPENAI_API_KEY: 'a key',
  OPENAI_MODEL: 'a model name',
  OPENAI_TRANSCRIPTION_MODEL: 'a model name',
  AZURE_OPENAI_TRANSCRIPTION_DEPLOYMENT: 'a deployment name',
  OPENAI_EMBEDDING_MODEL: 'a model name',
  AZURE_OPENAI_EMBEDDING_DEPLOYMENT: 'a deployment name',
  OTEL_SERVICE_NAME: 'a name',
  LANGFUSE_PUBLIC_KEY: 'a key',
  LANGFUSE_SECRET_KEY: 'a key',
  PORTICO_DATA_DIR: 'a folder path',
  REGION_NAME: 'a label for events',
  SENDGRID_KEY: 'a key',
  SEGMENTATION_SHARED_TOKEN: 'a token',
  GEOAPIFY_API_KEY: 'a key',
  GOOGLE_MAPS_API_KEY: 'a key',
  SERPAPI_KEY: 'a key',
  EVENTBRITE_TOKEN: 'a token',
  R2_ACCESS_KEY_ID: 'an access key id',
  R2_SECRET_ACCESS_KEY: 'a key',
  AZURE_SPEECH_KEY: 'a key',
  AZURE_SPEECH_COMPANY_NAME: 'a company name',
  FUNCTION_TARGET: 'the name of a registered function, set by the Functions Framework (an unknown one falls back to a 400 problem)',
};

/** Every variable the catalog knows, job families and limits included. */
const CATALOG = [...new Set([...Object.values(SETTINGS).flat(), ...jobFamilySettings(jobs), ...Object.keys(DEFAULT_RATE_LIMITS).map(limitVariable)])];

/** The first bad value the start-up check refuses by this variable's name, if any. */
function refusedValue(name: string): string | undefined {
  return BAD_VALUES.find((value) => {
    try {
      checkSettings({ ...NEEDS[name], [name]: value });
      return false;
    } catch (error) {
      return error instanceof ConfigError && error.variable === name;
    }
  });
}

const probed = CATALOG.map((name) => ({ name, value: refusedValue(name) }));
const TYPED = probed.filter((entry): entry is { name: string; value: string } => entry.value !== undefined);

/** Secrets and keys: a refusal must not repeat their value. */
const isSecret = (name: string) => /(?:SECRET|_KEYS?|_TOKEN)(?:_PREVIOUS)?$/.test(name);

/** What `npm start` runs after its Node version check, as node arguments. */
function startArguments(): string[] {
  const script = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const command = script.split('&&').at(-1)!.trim().replace(/^exec\s+/, '');
  const [program, ...args] = command.split(/\s+/);
  if (program !== 'node') throw new Error(`npm start runs "${command}"; this test starts node only`);
  return args;
}

interface Ended {
  code: number | null;
  stdout: string;
  stderr: string;
  /** What the host left in its data folder: nothing, if it stopped before starting anything. */
  dataDir: string[];
}

/** Starts the host as `npm start` does, on a clean environment plus `env`; kills it (and anything it started) if it hangs. */
function start(env: Env): Promise<Ended> {
  const dataDir = mkdtempSync(join(tmpdir(), 'portico-bad-setting-'));
  const child = spawn(process.execPath, startArguments(), {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', PORTICO_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const killGroup = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const deadline = setTimeout(killGroup, 180_000);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(deadline);
      killGroup(); // an emulator it should never have started
      const left = readdirSync(dataDir);
      rmSync(dataDir, { recursive: true, force: true });
      resolve({ code, stdout, stderr, dataDir: left });
    }),
  );
}

describe('the settings catalog, tried with bad values', () => {
  it('finds a refused value for every setting except the free-form ones, and the free-form ones take any text', () => {
    expect(probed.filter((entry) => entry.value === undefined).map((entry) => entry.name).sort()).toEqual(Object.keys(FREE_FORM).sort());
    expect(TYPED.length).toBeGreaterThan(90);
  });

  it('refuses each with one line that names the variable and never repeats a secret', () => {
    for (const { name, value } of TYPED) {
      let message = '';
      try {
        checkSettings({ ...NEEDS[name], [name]: value });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(new RegExp(`^Invalid configuration: ${name} [^\\n]+$`));
      if (isSecret(name)) expect(message).not.toContain(value);
    }
    expect(TYPED.filter(({ name }) => isSecret(name)).length).toBeGreaterThan(3);
  });

  it('has no stale entries: every NEEDS and FREE_FORM name is catalogued', () => {
    expect([...Object.keys(NEEDS), ...Object.keys(FREE_FORM)].filter((name) => !CATALOG.includes(name))).toEqual([]);
  });
});

describe('npm start with one bad setting', () => {
  it.concurrent.each(TYPED.map((entry) => [entry.name, entry.value] as const))(
    '%s=%s: exit 1, one line naming it, no stack, no path, nothing started',
    async (name, value) => {
      const ended = await start({ ...NEEDS[name], [name]: value });
      expect(ended.code).toBe(1);
      const lines = ended.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^Invalid configuration: ${name} `));
      expect(ended.stderr).not.toMatch(/^\s+at /m);
      expect(ended.stderr).not.toContain(ROOT);
      expect(ended.stderr).not.toMatch(/file:\/\/|\.(?:ts|js|mjs|cjs):\d/);
      if (isSecret(name)) expect(ended.stderr).not.toContain(value);
      expect(ended.stdout).toBe('');
      expect(ended.dataDir).toEqual([]);
    },
    90_000,
  );
});

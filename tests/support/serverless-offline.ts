/**
 * serverless-offline (through osls) serving AWS functions over real HTTP: the generated
 * serverless.yml entries (adapters/aws/serverless-config.ts) of the functions asked for, bundled
 * by serverless-esbuild into the same ESM `.mjs` files that `osls package` zips, and run in
 * serverless-offline's worker threads on this Node 22. No AWS credentials or network: fake keys
 * satisfy the provider, and nothing is deployed.
 *
 * It runs from a scratch service folder whose entries link back to the project: bundling only
 * the functions a test calls keeps start-up bounded as the table grows (every bundle carries its
 * SDKs), and the bundles live apart from the `.esbuild` folder that `osls package` deletes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { lstatSync, mkdtempSync, readdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FunctionDef } from '../../kernel/functions.ts';
import { AWS_ENVIRONMENT, serverlessConfig } from '../../adapters/aws/serverless-config.ts';
import { toYaml, type YamlValue } from '../../adapters/aws/yaml.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(root, 'node_modules/osls/bin/serverless.js');
/** Project entries the scratch service must not share: generated output and the real config. */
const NOT_LINKED = new Set(['.git', '.esbuild', '.serverless', 'serverless.yml', 'dist', 'coverage', '.data']);

export interface ServerlessOffline {
  baseUrl: string;
  /** The Lambda Invoke API (`POST /2015-03-31/functions/<name>/invocations`), for functions no HTTP route serves. */
  lambdaUrl: string;
  /** The deployed name of a table function, as the Invoke API takes it. */
  functionName(name: string): string;
  /** Everything osls printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

/** A port that was free a moment ago; osls takes ports by number only. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => signalGroup(child, 'SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    signalGroup(child, 'SIGTERM');
  });
}

/** osls runs esbuild's service as a child process: signal the whole group this helper started. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    child.kill(signal);
  }
}

/** A service folder holding `serverless.yml` for `defs`, with every other project entry linked back. */
function scratchService(defs: readonly FunctionDef[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'portico-offline-'));
  for (const entry of readdirSync(root)) if (!NOT_LINKED.has(entry)) symlinkSync(join(root, entry), join(dir, entry));
  const config = serverlessConfig(defs) as { provider: { environment: Record<string, YamlValue> }; custom: { esbuild: Record<string, YamlValue> } };
  // The deployed stack's bindings (jobs on SQS, blobs on S3, URLs CloudFormation resolves) point at
  // real AWS; serverless-offline cannot resolve them and this machine must not call AWS. The run
  // gets the caller's configuration instead, the same as every other runtime under test.
  for (const name of Object.keys(AWS_ENVIRONMENT)) delete config.provider.environment[name];
  // No rebuild-on-save: the run is short, and another edit in the tree must not rebuild under it.
  config.custom.esbuild.watch = { pattern: [] };
  writeFileSync(join(dir, 'serverless.yml'), toYaml(config as YamlValue));
  return dir;
}

/**
 * Starts `osls offline start` for `defs` on free loopback ports and resolves once it serves.
 * `env` reaches the functions through serverless.yml's `${env:…}` entries. `readyTimeoutMs`
 * bounds the wait (bundling takes seconds per function on 2 cores, minutes on a busy one): it ends
 * a hung start, it does not time one.
 */
export async function startServerlessOffline(defs: readonly FunctionDef[], env: Record<string, string>, readyTimeoutMs = 600_000): Promise<ServerlessOffline> {
  const [httpPort, lambdaPort] = [await freePort(), await freePort()];
  const service = scratchService(defs);
  // Without an httpApi route serverless-offline starts no HTTP server, only the Lambda Invoke API.
  const servesHttp = defs.some((def) => def.trigger.kind === 'http' && !def.trigger.stream);
  const readyLine = servesHttp ? 'Server ready:' : 'Offline [http for lambda] listening';
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    ...env,
    AWS_ACCESS_KEY_ID: 'AKIAOFFLINEFAKE00000',
    AWS_SECRET_ACCESS_KEY: 'offline-fake-secret',
    AWS_REGION: 'us-east-1',
    AWS_CONFIG_FILE: join(service, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(service, 'no-aws-credentials'),
    SLS_TELEMETRY_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
    npm_config_update_notifier: 'false',
  };
  for (const name of ['AWS_SESSION_TOKEN', 'AWS_PROFILE']) delete childEnv[name];
  const args = ['offline', 'start', '--host', '127.0.0.1', '--httpPort', String(httpPort), '--lambdaPort', String(lambdaPort), '--noPrependStageInUrl', '--noSponsor'];
  const child = spawn(process.execPath, [CLI, ...args], { cwd: service, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));

  const stop = async () => {
    await stopChild(child);
    // Unlink the links first, so that nothing could ever delete through them into the project.
    for (const entry of readdirSync(service)) if (lstatSync(join(service, entry)).isSymbolicLink()) unlinkSync(join(service, entry));
    rmSync(service, { recursive: true, force: true });
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serverless-offline was not ready after ${readyTimeoutMs} ms`)), readyTimeoutMs);
      const onData = () => {
        // A bundle that does not build leaves osls watching for a fix; fail now instead of at the timeout.
        const failed = /Build failed with|Error:\s/.test(text);
        if (!failed && !text.includes(readyLine)) return;
        cleanup();
        if (failed) reject(new Error('serverless-offline could not start'));
        else resolve();
      };
      const onExit = (code: number | null) => {
        cleanup();
        reject(new Error(`serverless-offline exited with ${code} before it was ready`));
      };
      const cleanup = () => {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.stderr!.off('data', onData);
        child.off('exit', onExit);
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', onExit);
    });
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}:\n${text}`);
  }
  return {
    baseUrl: `http://127.0.0.1:${httpPort}`,
    lambdaUrl: `http://127.0.0.1:${lambdaPort}`,
    functionName: (name) => `portico-dev-${name}`,
    output: () => text,
    stop,
  };
}

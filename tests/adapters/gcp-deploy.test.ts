import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse as parseYaml } from 'yaml';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isHttp, type FunctionDef } from '../../kernel/functions.ts';
import { functions, jobs } from '../../app/functions.ts';
import { deployedSettings, SETTINGS } from '../../app/settings-catalog.ts';
import { hostSettings } from '../../adapters/azure/host-settings.ts';
import { rateLimitVariables } from '../../adapters/aws/serverless-config.ts';
import { GCP_API_GATEWAY_SPEC, gatewayPath, gcpApiGatewaySpec } from '../../adapters/gcp/api-gateway.ts';
import { GCP_DEPLOY_SCRIPT, gcpDeployScript, gcpEnvironmentNames, sh, STAGED_SOURCE } from '../../adapters/gcp/deploy-script.ts';
import { version } from '../../app/project.ts';
import { gcpTimeoutSeconds } from '../../adapters/gcp/names.ts';
import { GCP_MAIN, stage, stagedPackageJson } from '../../adapters/gcp/staging.ts';
import { toCloudSchedulerCron } from '../../domain/schedule/ncrontab.ts';
import { fixtureQueue, fixtureTimer } from '../support/fixture-functions.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const script = gcpDeployScript(functions);
const deployed = functions.filter((def) => !def.localOnly);
const poisonConsumer = (def: FunctionDef) => def.trigger.kind === 'queue' && def.trigger.queue.endsWith('-poison');

/** Each function's block of the script: `if wanted <name>; then ... fi`, continuation lines joined. */
function blocks(text: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const match of text.matchAll(/^if wanted (\S+); then\n([\s\S]*?)^fi$/gm)) found.set(match[1]!, match[2]!.replaceAll('\\\n', ' ').replace(/\s+/g, ' ').trim());
  return found;
}

describe('gcp/deploy.sh', () => {
  it('is exactly what the function table generates (run `npm run generate` after changing the table), and executable', () => {
    expect(readFileSync(join(root, GCP_DEPLOY_SCRIPT), 'utf8')).toBe(script);
    expect(statSync(join(root, GCP_DEPLOY_SCRIPT)).mode & 0o111).toBe(0o111);
  });

  it('is valid bash', () => {
    const child = spawnSync('bash', ['-n', join(root, GCP_DEPLOY_SCRIPT)], { encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
  });

  it('deploys every function but the local-only ones, once, gen2 on nodejs22, with its own name as entry point, 1024 MiB and its timeout', () => {
    const found = blocks(script);
    expect(functions.some((def) => def.localOnly)).toBe(true);
    expect([...found.keys()]).toEqual(deployed.map((def) => def.name));
    for (const def of deployed) {
      const block = found.get(def.name)!;
      expect(block.match(/gcloud functions deploy/g)).toHaveLength(1);
      expect(block).toContain(
        `gcloud functions deploy ${def.name} --gen2 --runtime=nodejs22 --region="$REGION" --source="$SOURCE" --entry-point=${def.name} ` +
          `--memory=1024Mi --timeout=${gcpTimeoutSeconds(def)}s --env-vars-file="$ENV_FILE" `,
      );
    }
    // HTTP gets host.json's HTTP limit (230 s), the rest its functionTimeout (5 minutes).
    expect(found.get('auth-login')).toContain('--timeout=230s');
    expect(found.get('jobs-system-jobs')).toContain('--timeout=300s');
  });

  it('gives each function the trigger of its kind', () => {
    const found = blocks(script);
    for (const def of deployed) {
      const block = found.get(def.name)!;
      const t = def.trigger;
      if (t.kind === 'http') expect(block).toMatch(/ --trigger-http --allow-unauthenticated$/);
      if (t.kind === 'queue') expect(block).toContain(`--trigger-topic=${t.queue} --retry`);
      if (t.kind === 'timer') {
        expect(block).toContain(`--trigger-topic=timer-${def.name}`);
        expect(block).not.toContain('--retry');
      }
      if (t.kind === 'blob') {
        expect(block).toContain(
          '--trigger-event-filters=type=google.cloud.storage.object.v1.finalized ' +
            `--trigger-event-filters=bucket="$BUCKET_PREFIX"${t.path.split('/')[0]} --trigger-location="$REGION" --retry`,
        );
      }
    }
    expect(found.get('voice-process-upload')).toContain('bucket="$BUCKET_PREFIX"voice-uploads');
  });

  it('puts the dead-letter policy behind every job queue, to <queue>-poison after maxDequeueCount deliveries, and none behind a poison queue', () => {
    const found = blocks(script);
    const queueFunctions = deployed.filter((def) => def.trigger.kind === 'queue');
    expect(queueFunctions.filter(poisonConsumer).length).toBeGreaterThan(5);
    for (const def of queueFunctions) {
      const queue = (def.trigger as { queue: string }).queue;
      if (poisonConsumer(def)) expect(found.get(def.name)).not.toContain('dead_letter');
      else expect(found.get(def.name)).toMatch(new RegExp(` dead_letter ${def.name} ${queue}-poison$`));
    }
    expect(hostSettings().queues.maxDequeueCount).toBe(5);
    expect(script).toContain('--dead-letter-topic="$2" --max-delivery-attempts=5 \\\n    --min-retry-delay=30s --max-retry-delay=600s');
    // The subscription is Eventarc's, found through the function's trigger.
    expect(script).toContain(`--format='value(eventTrigger.trigger)'`);
    expect(script).toContain(`gcloud eventarc triggers describe "$trigger" --format='value(transport.pubsub.subscription)'`);
  });

  it('creates the topics of every queue, poison queue and timer, and the blob triggers’ buckets, idempotently', () => {
    for (const def of deployed) {
      if (def.trigger.kind === 'queue') expect(script).toContain(`\nensure gcloud pubsub topics create ${def.trigger.queue}\n`);
      if (def.trigger.kind === 'queue' && !poisonConsumer(def)) expect(script).toContain(`\nensure gcloud pubsub topics create ${def.trigger.queue}-poison\n`);
      if (def.trigger.kind === 'timer') expect(script).toContain(`\nensure gcloud pubsub topics create timer-${def.name}\n`);
    }
    expect(script).toContain('\nensure gcloud storage buckets create "gs://$BUCKET_PREFIX"voice-uploads --location="$REGION"');
  });

  it('schedules each timer with Cloud Scheduler, on its translated cron, in UTC', () => {
    const found = blocks(script);
    const timers = deployed.filter((def) => def.trigger.kind === 'timer');
    expect(timers.length).toBeGreaterThan(5);
    for (const def of timers) {
      const cron = toCloudSchedulerCron((def.trigger as { schedule: string }).schedule);
      expect(found.get(def.name)).toMatch(new RegExp(` schedule timer-${def.name} ${sh(cron).replace(/[*]/g, '\\*')}$`));
    }
    expect(found.get('wardrobe-drafts-stuck')).toContain(`schedule timer-wardrobe-drafts-stuck '*/15 * * * *'`);
    expect(script).toContain(`--time-zone=Etc/UTC --message-body='{}'`);
  });

  it('refuses a schedule Cloud Scheduler cannot keep, naming the function', () => {
    expect(fixtureTimer.trigger.schedule).toBe('*/2 * * * * *');
    expect(() => gcpDeployScript([fixtureTimer])).toThrow(/^fixture-timer: Cannot translate "\*\/2 \* \* \* \* \*" to Cloud Scheduler: .* fires every 2 seconds$/);
  });

  it('refuses a maxDequeueCount Pub/Sub cannot dead-letter after', () => {
    const host = { ...hostSettings(), queues: { ...hostSettings().queues, maxDequeueCount: 3 } };
    expect(() => gcpDeployScript([fixtureQueue], host)).toThrow(/maxDequeueCount is 3, but Pub\/Sub dead-letters after 5 to 100/);
  });

  it('passes exactly the settings catalog’s deployed names, as serverless.yml does', () => {
    const names = gcpEnvironmentNames(deployed, jobs);
    expect(names).toEqual(deployedSettings(jobs, rateLimitVariables(deployed)));
    expect(names).toContain('JWT_SECRET');
    expect(names).toContain('COSMOS_DB_KEY');
    for (const local of SETTINGS.localHost) expect(names).not.toContain(local);
    // Cloud Run sets these itself and refuses a deployment that names one.
    expect(names.filter((name) => /^(PORT|K_SERVICE|K_REVISION|K_CONFIGURATION|FUNCTION_TARGET|FUNCTION_SIGNATURE_TYPE|X_GOOGLE_.*)$/.test(name))).toEqual([]);
    const list = /^for name in \\\n([\s\S]*?)^; do$/m.exec(script)![1]!.replaceAll('\\', ' ').split(/\s+/).filter(Boolean);
    expect(list).toEqual(names);
    for (const name of list) expect(name).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
  });

  it('quotes for the shell whatever it does not take literally', () => {
    expect(sh('jobs-system-jobs')).toBe('jobs-system-jobs');
    expect(sh('0 * * * *')).toBe("'0 * * * *'");
    expect(sh("it's $(here)")).toBe(`'it'\\''s $(here)'`);
    const child = spawnSync('bash', ['-c', `printf %s ${sh("it's $(here) `x` \\ \"y\"")}`], { encoding: 'utf8' });
    expect(child.stdout).toBe("it's $(here) `x` \\ \"y\"");
  });
});

describe('gcp/deploy.sh run against a stand-in gcloud', () => {
  let work: string;
  let bin: string;
  const log = () => readFileSync(join(work, 'calls.log'), 'utf8').trim().split('\n');
  const secret = `s3cr3t "quoted" 'single' \\ back $(not run) #hash\nsecond line: {x}`;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'portico-gcp-deploy-'));
    bin = join(work, 'bin');
    mkdirSync(bin);
    mkdirSync(join(work, 'staged'));
    writeFileSync(join(work, 'staged', 'package.json'), '{}');
    // Records each call (and the env file it is given), and answers the look-ups the script makes.
    writeFileSync(
      join(bin, 'gcloud'),
      [
        '#!/usr/bin/env bash',
        'printf "%s|%s\\n" "$CLOUDSDK_CORE_PROJECT" "$*" >>"$WORK/calls.log"',
        'for arg in "$@"; do [[ "$arg" == --env-vars-file=* ]] && { cp "${arg#--env-vars-file=}" "$WORK/env.yaml"; echo "${arg#--env-vars-file=}" >"$WORK/env.path"; }; done',
        'for arg in "$@"; do [[ "$arg" == --openapi-spec=* ]] && { cp "${arg#--openapi-spec=}" "$WORK/gateway.json"; echo "${arg#--openapi-spec=}" >"$WORK/gateway.path"; }; done',
        'case "$*" in',
        '  "pubsub topics create system-jobs") echo "ERROR: Failed to create topic [projects/p/topics/system-jobs]: Resource already exists in the project (resource=system-jobs)." >&2; exit 1 ;;',
        '  "functions describe"*) echo "projects/acme/locations/europe-west1/triggers/jobs-system-jobs-123" ;;',
        '  "eventarc triggers describe"*) echo "projects/acme/subscriptions/eventarc-europe-west1-jobs-system-jobs-123-sub-456" ;;',
        '  "projects describe"*) echo "123456789" ;;',
        '  "storage service-agent"*) echo "service-123456789@gs-project-accounts.iam.gserviceaccount.com" ;;',
        '  "scheduler jobs describe"*) exit 1 ;;',
        '  "api-gateway gateways describe"*) [[ -f "$WORK/gateway.made" ]] || exit 1; echo "portico-gw-1a2b3c.ew.gateway.dev" ;;',
        '  "api-gateway gateways create"*) touch "$WORK/gateway.made" ;;',
        'esac',
      ].join('\n'),
    );
    chmodSync(join(bin, 'gcloud'), 0o755);
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const run = (args: string[], env: Record<string, string>) =>
    spawnSync('bash', [join(root, GCP_DEPLOY_SCRIPT), ...args], {
      cwd: work,
      encoding: 'utf8',
      env: { PATH: `${bin}:${process.env.PATH}`, HOME: work, WORK: work, ...env },
    });

  it('says what is missing, and runs nothing', () => {
    const child = run([], {});
    expect(child.status).toBe(2);
    expect(child.stderr).toContain('set PROJECT, the Google Cloud project id');
    expect(child.stderr).toContain('set BUCKET_PREFIX');
    expect(existsSync(join(work, 'calls.log'))).toBe(false);
  });

  it('wants the staged source, found at .gcp by default', () => {
    const child = run([], { PROJECT: 'acme-prod', BUCKET_PREFIX: 'acme-portico-' });
    expect(child.status).toBe(2);
    expect(child.stderr).toContain(`no ${STAGED_SOURCE}/package.json: run 'npm run package:gcp' first`);
  });

  it('refuses a function the table does not have, and a bucket prefix Cloud Storage would refuse', () => {
    const unknown = run(['no-such-function'], { PROJECT: 'acme-prod', BUCKET_PREFIX: 'acme-portico-', SOURCE: 'staged' });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('no function named no-such-function in the table');
    expect(run([], { PROJECT: 'acme-prod', BUCKET_PREFIX: 'Acme_', SOURCE: 'staged' }).stderr).toContain('BUCKET_PREFIX may hold only lower-case');
    expect(existsSync(join(work, 'calls.log'))).toBe(false);
  });

  it('deploys the functions named, with their triggers, the environment from the shell and no secret printed', () => {
    const named = ['auth-login', 'jobs-system-jobs', 'jobs-system-jobs-poison', 'voice-process-upload', 'purge-expired'];
    const child = run(named, { PROJECT: 'acme-prod', BUCKET_PREFIX: 'acme-portico-', SOURCE: 'staged', JWT_SECRET: secret, LOG_LEVEL: 'debug', UNRELATED: 'x', PORT: '1' });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(child.stdout).toContain('Passing 2 settings from this shell: LOG_LEVEL JWT_SECRET');
    expect(child.stdout).not.toContain('s3cr3t');

    // Exactly the catalog's names that are set, each value read back intact.
    expect(parseYaml(readFileSync(join(work, 'env.yaml'), 'utf8'))).toEqual({ LOG_LEVEL: 'debug', JWT_SECRET: secret });
    expect(existsSync(readFileSync(join(work, 'env.path'), 'utf8').trim())).toBe(false); // removed on exit

    const calls = log();
    expect(calls.every((call) => call.startsWith('acme-prod|'))).toBe(true);
    const deploys = calls.filter((call) => call.startsWith('acme-prod|functions deploy'));
    // In the table's order, whatever the order named.
    expect(deploys.map((call) => call.split(' ')[2])).toEqual(['purge-expired', 'auth-login', 'voice-process-upload', 'jobs-system-jobs', 'jobs-system-jobs-poison']);
    expect(deploys[1]).toContain('--region=europe-west1 --source=staged --entry-point=auth-login --memory=1024Mi --timeout=230s');
    expect(deploys[2]).toContain('--trigger-event-filters=bucket=acme-portico-voice-uploads --trigger-location=europe-west1 --retry');
    // Topics and buckets exist whatever was named; one that exists already is no failure.
    expect(calls).toContain('acme-prod|pubsub topics create system-jobs');
    expect(calls).toContain('acme-prod|pubsub topics create system-jobs-poison');
    expect(calls).toContain('acme-prod|storage buckets create gs://acme-portico-voice-uploads --location=europe-west1 --uniform-bucket-level-access');
    // The dead-letter policy goes on the subscription Eventarc made for the job queue's function only.
    const subscription = 'projects/acme/subscriptions/eventarc-europe-west1-jobs-system-jobs-123-sub-456';
    expect(calls).toContain(`acme-prod|pubsub subscriptions update ${subscription} --dead-letter-topic=system-jobs-poison --max-delivery-attempts=5 --min-retry-delay=30s --max-retry-delay=600s`);
    expect(calls).toContain('acme-prod|pubsub topics add-iam-policy-binding system-jobs-poison --member=serviceAccount:service-123456789@gcp-sa-pubsub.iam.gserviceaccount.com --role=roles/pubsub.publisher');
    expect(calls.filter((call) => call.includes('subscriptions update'))).toHaveLength(1);
    // The timer's job did not exist: it is created.
    expect(calls).toContain('acme-prod|scheduler jobs create pubsub timer-purge-expired --location=europe-west1 --topic=timer-purge-expired --schedule=0 * * * * --time-zone=Etc/UTC --message-body={}');
  });

  it('refuses a project id or region that is not one, before any call', () => {
    rmSync(join(work, 'calls.log'), { force: true });
    expect(run(['health'], { PROJECT: 'a/b', BUCKET_PREFIX: 'acme-portico-', SOURCE: 'staged' }).stderr).toContain('PROJECT must be a project id');
    expect(run(['health'], { PROJECT: 'acme-prod', REGION: 'eu;rm', BUCKET_PREFIX: 'acme-portico-', SOURCE: 'staged' }).stderr).toContain('REGION must be a region name');
    expect(existsSync(join(work, 'calls.log'))).toBe(false);
  });

  it('deploys every function, then publishes the API through API Gateway, each operation to its function', () => {
    rmSync(join(work, 'calls.log'), { force: true });
    const child = run([], { PROJECT: 'acme-prod', BUCKET_PREFIX: 'acme-portico-', SOURCE: 'staged' });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    const calls = log();
    expect(calls.filter((call) => call.startsWith('acme-prod|functions deploy'))).toHaveLength(deployed.length);
    const config = calls.find((call) => call.startsWith('acme-prod|api-gateway api-configs create'))!;
    expect(config).toMatch(/^acme-prod\|api-gateway api-configs create portico-\d{14} --api=portico --openapi-spec=/);
    expect(calls).toContain(`acme-prod|api-gateway gateways create portico --api=portico --api-config=${config.split(' ')[3]} --location=europe-west1`);
    expect(child.stdout).toContain('The API: https://portico-gw-1a2b3c.ew.gateway.dev/api/');
    // The committed spec with REGION and PROJECT filled in, and the temporary copy removed.
    const rendered = readFileSync(join(work, 'gateway.json'), 'utf8');
    expect(JSON.parse(rendered)).toEqual(JSON.parse(readFileSync(join(root, GCP_API_GATEWAY_SPEC), 'utf8').replaceAll('${REGION}', 'europe-west1').replaceAll('${PROJECT}', 'acme-prod')));
    expect(rendered).toContain('"address": "https://europe-west1-acme-prod.cloudfunctions.net/health"');
    expect(existsSync(readFileSync(join(work, 'gateway.path'), 'utf8').trim())).toBe(false);
    // A second full run moves the existing gateway to a new config.
    run([], { PROJECT: 'acme-prod', BUCKET_PREFIX: 'acme-portico-', SOURCE: 'staged' });
    expect(log().filter((call) => call.startsWith('acme-prod|api-gateway gateways update portico --api=portico --api-config=portico-'))).toHaveLength(1);
  });

  it('writes an empty mapping when no setting is set', () => {
    const child = run(['health'], { PROJECT: 'acme-prod', BUCKET_PREFIX: 'acme-portico-', SOURCE: 'staged', REGION: 'us-central1' });
    expect(child.status).toBe(0);
    expect(parseYaml(readFileSync(join(work, 'env.yaml'), 'utf8'))).toEqual({});
    expect(log().at(-1)).toContain('functions deploy health --gen2 --runtime=nodejs22 --region=us-central1');
  });
});

describe('gcp/api-gateway.json', () => {
  const spec = gcpApiGatewaySpec(functions, version) as { swagger: string; paths: Record<string, Record<string, { operationId: string; parameters?: { name: string }[]; 'x-google-backend': Record<string, unknown> }>> };
  const operations = Object.entries(spec.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ path, method, operation })));
  const http = deployed.filter(isHttp);

  it('is exactly what the function table generates', () => {
    expect(readFileSync(join(root, GCP_API_GATEWAY_SPEC), 'utf8')).toBe(JSON.stringify(spec, null, 2) + '\n');
    expect(spec.swagger).toBe('2.0');
  });

  it('routes every deployed HTTP function, and no local-only one, by its method and path to its own URL', () => {
    expect(operations).toHaveLength(http.length);
    for (const def of http) {
      const found = operations.find(({ path, method }) => path === gatewayPath(def.trigger.route) && method === def.trigger.method.toLowerCase());
      expect(found?.operation['x-google-backend']).toEqual({
        address: `https://\${REGION}-\${PROJECT}.cloudfunctions.net/${def.name}`,
        path_translation: 'APPEND_PATH_TO_ADDRESS',
        deadline: gcpTimeoutSeconds(def),
        disable_auth: true,
      });
    }
    expect(new Set(operations.map(({ operation }) => operation.operationId)).size).toBe(operations.length);
    for (const { operation } of operations) expect(operation.operationId).toMatch(/^[A-Za-z0-9_]+$/);
  });

  it('declares each path parameter, and writes the greedy preflight route as a ** template', () => {
    expect(gatewayPath('{proxy+}')).toBe('/api/{proxy=**}');
    expect(gatewayPath('wardrobe/{id}/wear')).toBe('/api/wardrobe/{id}/wear');
    for (const { path, operation } of operations) {
      const names = [...path.matchAll(/\{([A-Za-z0-9_]+)(=\*\*)?\}/g)].map((match) => match[1]);
      expect((operation.parameters ?? []).map((parameter) => parameter.name)).toEqual(names);
    }
  });
});

describe('npm run package:gcp', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;

  it('checks for drift, builds, then stages into .gcp/, which git ignores', () => {
    expect(pkg.scripts!['package:gcp']).toMatch(/scripts\/generate\.ts --check && npm run build && .*scripts\/package-gcp\.ts$/);
    expect(readFileSync(join(root, '.gitignore'), 'utf8').split('\n')).toContain(`${STAGED_SOURCE}/`);
  });

  it('stages a package.json whose main is the registration module, with the runtime dependencies and nothing that would rebuild', () => {
    const staged = stagedPackageJson(pkg) as Record<string, unknown>;
    expect(staged.main).toBe('dist/adapters/gcp/main.js');
    expect(staged).not.toHaveProperty('devDependencies');
    expect(staged).not.toHaveProperty('scripts');
    expect(staged.dependencies).toEqual(pkg.dependencies);
    expect(staged.dependencies).toHaveProperty('@google-cloud/functions-framework');
    expect(staged.type).toBe('module');
  });

  it('copies dist/, config/, host.json, .npmrc and a lock file in sync with the staged package.json', () => {
    const fake = mkdtempSync(join(tmpdir(), 'portico-gcp-stage-'));
    try {
      const target = join(fake, 'out');
      for (const file of ['package.json', 'package-lock.json', 'host.json', '.npmrc']) writeFileSync(join(fake, file), readFileSync(join(root, file)));
      expect(() => stage(fake, target)).toThrow(/dist\/adapters\/gcp\/main\.js is missing/);
      mkdirSync(join(fake, 'dist/adapters/gcp'), { recursive: true });
      writeFileSync(join(fake, GCP_MAIN), 'export {};\n');
      // The capability registry reads it at start: an instance without it refuses to start.
      mkdirSync(join(fake, 'config'));
      writeFileSync(join(fake, 'config/plugins.yaml'), readFileSync(join(root, 'config/plugins.yaml')));
      mkdirSync(target);
      writeFileSync(join(target, 'stale.js'), '');
      stage(fake, target);
      expect(readFileSync(join(target, GCP_MAIN), 'utf8')).toBe('export {};\n');
      expect(existsSync(join(target, 'host.json')) && existsSync(join(target, '.npmrc'))).toBe(true);
      expect(readFileSync(join(target, 'config/plugins.yaml'), 'utf8')).toBe(readFileSync(join(root, 'config/plugins.yaml'), 'utf8'));
      expect(existsSync(join(target, 'stale.js'))).toBe(false);
      expect(JSON.parse(readFileSync(join(target, 'package.json'), 'utf8'))).toEqual(stagedPackageJson(pkg));
      const lock = JSON.parse(readFileSync(join(target, 'package-lock.json'), 'utf8')) as { packages: Record<string, Record<string, unknown>> };
      expect(lock.packages['']).not.toHaveProperty('devDependencies');
      expect(lock.packages['']!.dependencies).toEqual(pkg.dependencies);
      expect(Object.values(lock.packages).some((entry) => entry.dev === true)).toBe(false);
      expect(lock.packages['node_modules/@google-cloud/functions-framework']).toBeDefined();
      expect(lock.packages['node_modules/jest']).toBeUndefined();
    } finally {
      rmSync(fake, { recursive: true, force: true });
    }
  });
});

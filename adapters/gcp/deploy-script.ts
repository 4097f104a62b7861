/**
 * gcp/deploy.sh, generated from the function table like serverless.yml: one `gcloud functions
 * deploy` (Cloud Run functions, gen2) per function with its trigger, and what the triggers need
 * (Pub/Sub topics, dead-letter policies, Cloud Scheduler jobs, buckets), all idempotent so the
 * script can be run again after any change. Names come from names.ts, shared with the adapter.
 *
 * Pure functions returning lines; every value taken from the table goes through `sh` (shell quoting),
 * and the deploying shell's values are only ever expanded in double quotes.
 */
import { readFileSync } from 'node:fs';
import type { FunctionDef } from '../../kernel/functions.ts';
import { jobs as tableJobs } from '../../app/functions.ts';
import { deployedSettings } from '../../app/settings-catalog.ts';
import { ScheduleError, toCloudSchedulerCron } from '../../domain/schedule/ncrontab.ts';
import { poisonQueueOf, type JobSpec } from '../../kernel/jobs.ts';
import { hostSettings, type HostSettings } from '../azure/host-settings.ts';
import { blobLocation, rateLimitVariables } from '../aws/serverless-config.ts';
import { GCP_API_GATEWAY_SPEC } from './api-gateway.ts';
import { GCP_MEMORY_MB, gcpTimeoutSeconds, STORAGE_FINALIZED, topicOfQueue, topicOfTimer } from './names.ts';

export const GCP_DEPLOY_SCRIPT = 'gcp/deploy.sh';
export const GCP_RUNTIME = 'nodejs22';
/** Where `npm run package:gcp` stages the deployable source: deploy-preamble.sh's default SOURCE. */
export const STAGED_SOURCE = '.gcp';

/** Pub/Sub accepts 5 to 100 delivery attempts before dead-lettering. */
const MIN_DELIVERY_ATTEMPTS = 5;
const MAX_DELIVERY_ATTEMPTS = 100;
/** Pub/Sub's retry backoff is capped at 600 s. */
const MAX_RETRY_DELAY_SECONDS = 600;

/** A word the shell takes literally: bare when it holds nothing the shell reads, else single-quoted. */
export function sh(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * The settings the functions get from the deploying shell: the catalog's, as serverless.yml passes
 * them. None is one Cloud Run reserves (PORT, K_*, FUNCTION_*, X_GOOGLE_*); the tests keep it so.
 */
export function gcpEnvironmentNames(table: readonly FunctionDef[], jobs: readonly Pick<JobSpec, 'settingsPrefix'>[] = tableJobs): string[] {
  return deployedSettings(jobs, rateLimitVariables(table));
}

/** The queues the table consumes, split into job queues (dead-lettered to `<q>-poison`) and the poison queues. */
function queuesOf(table: readonly FunctionDef[]): { jobQueues: string[]; poisonQueues: string[] } {
  const consumed = [...new Set(table.flatMap((def) => (def.trigger.kind === 'queue' ? [def.trigger.queue] : [])))];
  const poison = new Set(consumed.map(poisonQueueOf));
  const jobQueues = consumed.filter((queue) => !poison.has(queue));
  return { jobQueues, poisonQueues: [...new Set(jobQueues.map(poisonQueueOf))] };
}

function cloudSchedulerCron(def: FunctionDef & { trigger: { kind: 'timer' } }): string {
  try {
    return toCloudSchedulerCron(def.trigger.schedule);
  } catch (error) {
    if (error instanceof ScheduleError) throw new ScheduleError(`${def.name}: ${error.message}`);
    throw error;
  }
}

/** Pub/Sub's dead-letter policy from host.json, as SQS's redrive policy and Azure's poison queue use it. */
function deadLetterPolicy(host: HostSettings): { attempts: number; minDelay: number } {
  const attempts = host.queues.maxDequeueCount;
  if (attempts < MIN_DELIVERY_ATTEMPTS || attempts > MAX_DELIVERY_ATTEMPTS) {
    throw new Error(
      `host.json's maxDequeueCount is ${attempts}, but Pub/Sub dead-letters after ${MIN_DELIVERY_ATTEMPTS} to ${MAX_DELIVERY_ATTEMPTS} delivery attempts only.`,
    );
  }
  // Azure retries a failed message after the queue's visibility timeout: the same first delay here.
  return { attempts, minDelay: Math.min(Math.ceil(host.queues.visibilityTimeoutMs / 1000), MAX_RETRY_DELAY_SECONDS) };
}

/** Checks the names given on the command line against the table, before anything is created. */
function knownFunctions(table: readonly FunctionDef[]): string[] {
  const names = table.map((def) => def.name);
  const rows: string[] = [];
  for (let i = 0; i < names.length; i += 6) rows.push('  ' + names.slice(i, i + 6).map(sh).join(' '));
  return [
    'functions=(',
    ...rows,
    ')',
    'for name in "$@"; do',
    '  [[ " ${functions[*]} " == *" $name "* ]] || { echo "gcp/deploy.sh: no function named $name in the table" >&2; exit 2; }',
    'done',
  ];
}

/**
 * The runtime environment, from the deploying shell: each catalog name that is set, double-quoted
 * YAML (the preamble's yaml_string), in the preamble's private ENV_FILE.
 * Only the names are printed, never a value.
 */
function environmentFile(names: readonly string[]): string[] {
  const rows: string[] = [];
  for (let i = 0; i < names.length; i += 4) rows.push('  ' + names.slice(i, i + 4).map(sh).join(' '));
  return [
    'passed=()',
    'for name in \\',
    ...rows.map((row) => `${row} \\`),
    '; do',
    '  if [[ -n "${!name+set}" ]]; then',
    '    printf \'%s: %s\\n\' "$name" "$(yaml_string "${!name}")" >>"$ENV_FILE"',
    '    passed+=("$name")',
    '  fi',
    'done',
    "((${#passed[@]})) || echo '{}' >\"$ENV_FILE\"",
    'echo "Passing ${#passed[@]} settings from this shell: ${passed[*]}"',
  ];
}

/** The topics and buckets the triggers need, and the service agents' rights to publish to and from them. */
function triggerResources(table: readonly FunctionDef[]): string[] {
  const { jobQueues } = queuesOf(table);
  const timers = table.filter((def) => def.trigger.kind === 'timer');
  const buckets = [...new Set(table.flatMap((def) => (def.trigger.kind === 'blob' ? [blobLocation(def.trigger.path).bucket] : [])))];
  const lines = [
    'echo "Enabling the services and creating the triggers\' topics and buckets in $PROJECT ($REGION)"',
    'gcloud services enable cloudfunctions.googleapis.com run.googleapis.com cloudbuild.googleapis.com artifactregistry.googleapis.com \\',
    '  eventarc.googleapis.com pubsub.googleapis.com cloudscheduler.googleapis.com storage.googleapis.com \\',
    '  apigateway.googleapis.com servicemanagement.googleapis.com servicecontrol.googleapis.com',
    ...jobQueues.flatMap((queue) => [queue, poisonQueueOf(queue)]).map((queue) => `ensure gcloud pubsub topics create ${sh(topicOfQueue(queue))}`),
    ...timers.map((def) => `ensure gcloud pubsub topics create ${sh(topicOfTimer(def))}`),
    ...buckets.map((bucket) => `ensure gcloud storage buckets create "gs://$BUCKET_PREFIX"${sh(bucket)} --location="$REGION" --uniform-bucket-level-access`),
  ];
  if (buckets.length > 0) {
    lines.push(
      '# Cloud Storage publishes its object events through Pub/Sub, as its own service agent.',
      'gcloud projects add-iam-policy-binding "$PROJECT" --member="serviceAccount:$(gcloud storage service-agent)" \\',
      '  --role=roles/pubsub.publisher --condition=None >/dev/null',
    );
  }
  return lines;
}

/** Helpers for what follows a deploy: the dead-letter policy behind a queue trigger, a timer's Cloud Scheduler job. */
function helpers(table: readonly FunctionDef[], host: HostSettings): string[] {
  const lines: string[] = [];
  if (queuesOf(table).jobQueues.length > 0) {
    const { attempts, minDelay } = deadLetterPolicy(host);
    lines.push(
      '# The Pub/Sub subscription Eventarc made for a function\'s trigger (named by its eventTrigger, as the v2 API writes it).',
      'subscription_of() {',
      '  local trigger',
      '  trigger="$(gcloud functions describe "$1" --v2 --region="$REGION" --format=\'value(eventTrigger.trigger)\')"',
      '  gcloud eventarc triggers describe "$trigger" --format=\'value(transport.pubsub.subscription)\'',
      '}',
      `# After host.json's maxDequeueCount deliveries, Pub/Sub moves a message to <queue>-poison, where the`,
      '# table\'s poison collector consumes it (Azure\'s poison queue, SQS\'s redrive policy); retries back off',
      '# from host.json\'s visibility timeout (Azure\'s delay before a retry) to Pub/Sub\'s 600 s ceiling.',
      '# Pub/Sub\'s service agent must be able to publish to the dead-letter topic and to take from the subscription.',
      'dead_letter() {',
      '  local subscription agent',
      '  subscription="$(subscription_of "$1")"',
      '  agent="serviceAccount:service-$(gcloud projects describe "$PROJECT" --format=\'value(projectNumber)\')@gcp-sa-pubsub.iam.gserviceaccount.com"',
      `  gcloud pubsub subscriptions update "$subscription" --dead-letter-topic="$2" --max-delivery-attempts=${attempts} \\`,
      `    --min-retry-delay=${minDelay}s --max-retry-delay=${MAX_RETRY_DELAY_SECONDS}s`,
      '  gcloud pubsub topics add-iam-policy-binding "$2" --member="$agent" --role=roles/pubsub.publisher >/dev/null',
      '  gcloud pubsub subscriptions add-iam-policy-binding "$subscription" --member="$agent" --role=roles/pubsub.subscriber >/dev/null',
      '}',
    );
  }
  if (table.some((def) => def.trigger.kind === 'timer')) {
    lines.push(
      '# A timer: a Cloud Scheduler job (named as its topic) publishing an empty message to the topic, in UTC as NCRONTAB is.',
      'schedule() {',
      '  local verb=create',
      '  gcloud scheduler jobs describe "$1" --location="$REGION" >/dev/null 2>&1 && verb=update',
      '  gcloud scheduler jobs "$verb" pubsub "$1" --location="$REGION" --topic="$1" --schedule="$2" \\',
      "    --time-zone=Etc/UTC --message-body='{}'",
      '}',
    );
  }
  return lines;
}

/** The trigger flags of a function's deploy, and what must follow it. */
function trigger(def: FunctionDef, poisonQueues: ReadonlySet<string>): { flags: string[]; after: string[] } {
  const t = def.trigger;
  switch (t.kind) {
    case 'http':
      // Portico authenticates every request itself, as on Azure (anonymous) and AWS.
      return { flags: ['--trigger-http', '--allow-unauthenticated'], after: [] };
    case 'queue': {
      const topic = topicOfQueue(t.queue);
      const flags = [`--trigger-topic=${sh(topic)}`, '--retry'];
      // A poison queue's consumer is retried but has nowhere further to dead-letter to.
      if (poisonQueues.has(t.queue)) return { flags, after: [] };
      return { flags, after: [`dead_letter ${sh(def.name)} ${sh(topicOfQueue(poisonQueueOf(t.queue)))}`] };
    }
    case 'timer': {
      const topic = topicOfTimer(def);
      // Not retried: a failed run waits for the next slot, as on Azure.
      return { flags: [`--trigger-topic=${sh(topic)}`], after: [`schedule ${sh(topic)} ${sh(cloudSchedulerCron({ ...def, trigger: t }))}`] };
    }
    case 'blob': {
      // Eventarc filters on the bucket only; the adapter drops objects outside the trigger's path.
      const { bucket } = blobLocation(t.path);
      return {
        flags: [`--trigger-event-filters=type=${sh(STORAGE_FINALIZED)}`, `--trigger-event-filters=bucket="$BUCKET_PREFIX"${sh(bucket)}`, '--trigger-location="$REGION"', '--retry'],
        after: [],
      };
    }
  }
}

/** The API's name in API Gateway, and its gateway's. */
export const GATEWAY = 'portico';

/**
 * The front door, once every function is deployed: a new API Gateway config from
 * gcp/api-gateway.json (each operation to its function's URL, REGION and PROJECT filled in), and
 * the gateway created or moved to it. Configs are immutable, so each deployment adds one.
 */
function gateway(): string[] {
  const spec = `"$(dirname "$0")/${GCP_API_GATEWAY_SPEC.slice('gcp/'.length)}"`;
  return [
    'if [[ "$only" == \'  \' ]]; then',
    '  echo "Publishing the API through API Gateway"',
    '  gateway_spec="$(mktemp)"',
    '  trap \'rm -f "$ENV_FILE" "$gateway_spec"\' EXIT',
    `  sed -e "s/\\\${REGION}/$REGION/g" -e "s/\\\${PROJECT}/$PROJECT/g" ${spec} >"$gateway_spec"`,
    `  ensure gcloud api-gateway apis create ${GATEWAY}`,
    `  config="${GATEWAY}-$(date -u +%Y%m%d%H%M%S)"`,
    `  gcloud api-gateway api-configs create "$config" --api=${GATEWAY} --openapi-spec="$gateway_spec"`,
    `  verb=create`,
    `  gcloud api-gateway gateways describe ${GATEWAY} --location="$REGION" >/dev/null 2>&1 && verb=update`,
    `  gcloud api-gateway gateways "$verb" ${GATEWAY} --api=${GATEWAY} --api-config="$config" --location="$REGION"`,
    `  echo "The API: https://$(gcloud api-gateway gateways describe ${GATEWAY} --location="$REGION" --format='value(defaultHostname)')/api/"`,
    'else',
    '  echo "Only some functions were deployed: API Gateway is left as it was (run without names to publish it)."',
    'fi',
  ];
}

function deployment(def: FunctionDef, host: HostSettings, poisonQueues: ReadonlySet<string>): string[] {
  const { flags, after } = trigger(def, poisonQueues);
  const name = sh(def.name);
  return [
    `if wanted ${name}; then`,
    `  gcloud functions deploy ${name} --gen2 --runtime=${GCP_RUNTIME} --region="$REGION" --source="$SOURCE" --entry-point=${name} \\`,
    `    --memory=${GCP_MEMORY_MB}Mi --timeout=${gcpTimeoutSeconds(def, host)}s --env-vars-file="$ENV_FILE" \\`,
    `    ${flags.join(' ')}`,
    ...after.map((line) => `  ${line}`),
    'fi',
  ];
}

export function gcpDeployScript(all: readonly FunctionDef[], host: HostSettings = hostSettings(), jobs: readonly Pick<JobSpec, 'settingsPrefix'>[] = tableJobs): string {
  const table = all.filter((def) => !def.localOnly); // development aids never reach a cloud
  const poisonQueues = new Set(queuesOf(table).poisonQueues);
  const sections = [
    [
      '#!/usr/bin/env bash',
      '# Generated from app/functions.ts by `npm run generate`. Do not edit by hand.',
      '# Deploys the function table to Google Cloud Functions (gen2); see "Deploying to Google Cloud" in the README.',
      readFileSync(new URL('./deploy-preamble.sh', import.meta.url), 'utf8').trimEnd(),
    ],
    knownFunctions(table),
    environmentFile(gcpEnvironmentNames(table, jobs)),
    triggerResources(table),
    helpers(table, host),
    ...table.map((def) => deployment(def, host, poisonQueues)),
    ...(table.some((def) => def.trigger.kind === 'http') ? [gateway()] : []),
  ];
  return sections.map((lines) => lines.join('\n')).join('\n\n') + '\n';
}

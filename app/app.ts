/**
 * The composition root. `createApp` turns the service manifests and the environment into the
 * function table, the job list and the ports; `bind(def)` loads a function's factory, calls it
 * once with its service's dependencies, and keeps the handler. The Azure registration, the local
 * host, the Lambda entries and `npm run invoke` all go through `bind`, and settings are read
 * here, at bind time, never when a module is imported.
 */
import { pathToFileURL } from 'node:url';
import type { ContainerSpec } from '../domain/ports.ts';
import { choice, type Env } from '../kernel/env.ts';
import { handlerReference, type AnyHandler, type FunctionDef, type HttpTrigger } from '../kernel/functions.ts';
import { resolveJob, type JobRun, type JobSpec } from '../kernel/jobs.ts';
import type { EraseUser, ErasureLog, ServiceManifest } from '../kernel/services.ts';
import { once } from '../kernel/once.ts';
import { httpHandler, type HttpPlatform, type PorticoHttpHandler } from '../middleware/http-stack.ts';
import type { Authenticator } from '../middleware/auth.ts';
import { loadAuthSettings, revokedUsersContainer } from '../middleware/auth/index.ts';
import { loadAiSettings } from '../adapters/ai/settings.ts';
import { loadTelemetrySettings } from '../adapters/telemetry/settings.ts';
import { routeRateLimit, rateLimitsContainer } from '../middleware/rate-limit.ts';
import { loadWebhookSecrets, webhookDeliveriesContainer, webhookSecretsSet } from '../middleware/webhooks.ts';
import { jobRuntimeContainers } from '../jobs/containers.ts';
import { createJobClient, type JobClient } from '../jobs/job-client.ts';
import type { JobRuntimeDeps } from '../jobs/runtime-deps.ts';
import { jobQueueFunctions } from '../jobs/functions.ts';
import { jobSettings, loadConfig, type Config } from './config.ts';
import { createEraseUser } from './erase.ts';
import { migrationsContainer, pendingMigrations } from './migrations.ts';
import { createPorts, type Ports } from './ports.ts';
import { openApiDocument } from './openapi.ts';
import { version } from './project.ts';

/** What the app knows about itself, for the few functions that describe it (health, API docs, purge). */
export interface Catalog {
  version: string;
  functions: readonly FunctionDef[];
  containers: readonly ContainerSpec[];
  jobs: readonly JobSpec[];
  openApiDocument(): unknown;
  /** The schema migrations not yet applied (reads the ledger): health reports them. */
  pendingMigrations(): Promise<string[]>;
  /** Every service's `healthQueues`, once each: health reports their depths. */
  healthQueues: readonly string[];
}

/** What a factory receives: every port, its service's settings, the job client and the catalog. */
export interface Deps<S = unknown> extends Ports {
  settings: S;
  config: Config;
  jobs: JobClient;
  jobRuntime: JobRuntimeDeps;
  catalog: Catalog;
  /** Erases one user's data in every service that declares an `erase` (app/erase.ts); the account last. */
  eraseUser: EraseUser;
}

/**
 * What a factory returns, by trigger: HTTP the inner handler (bind wraps it in the standard
 * stack from its definition), optionally with its own authenticator; queue, timer and blob the
 * Lambda-shaped handler itself.
 */
export type HttpFactoryResult = PorticoHttpHandler<never> | { handler: PorticoHttpHandler<never>; authenticate: Authenticator };
// Method syntax: a factory may take the narrower definition of its trigger kind (`FunctionDef<TimerTrigger>`).
export type Factory = { build(deps: Deps<never>, def: FunctionDef): HttpFactoryResult | AnyHandler }['build'];

export interface AppOptions {
  services: readonly ServiceManifest<unknown>[];
  env?: Env;
  /** Replaces some ports (tests give memory adapters). */
  ports?: Partial<Ports>;
  /** Loaders of factory modules by path (`handlers/x/y.job`), where importing by URL cannot work: a Lambda bundle. */
  modules?: ModuleLoaders;
  /**
   * Set only by the local host's entry (adapters/local/main.ts): development-only settings
   * (LOCAL_DEV_AUTH) are allowed there and stop start-up everywhere else.
   */
  localHost?: boolean;
}

export interface PorticoApp {
  env: Env;
  config: Config;
  services: readonly ServiceManifest<unknown>[];
  /** The function table: every service's functions, plus a worker and a poison collector per job queue. */
  functions: readonly FunctionDef[];
  /** Every job, with this deployment's names. */
  jobs: readonly JobSpec[];
  containers: readonly ContainerSpec[];
  ports: Ports;
  /** The function's handler, built once from its factory (imported from its module, or the one given). */
  bind(def: FunctionDef, factory?: Factory): Promise<AnyHandler>;
  /** A function's dependencies: its service's settings on top of the ports. */
  depsOf(service: string | undefined): Deps;
  /** Reads every setting, so a bad value stops start-up with a message naming it. */
  validate(): void;
  find(name: string): FunctionDef | undefined;
}

/** The function table the services and the environment give; the generators call it with `{}`. */
export function functionTable(services: readonly ServiceManifest<unknown>[], env: Env): { functions: FunctionDef[]; jobs: JobSpec[] } {
  const jobs = services.flatMap((service) => service.jobs.map((spec) => resolveJob(spec, env)));
  return { functions: [...services.flatMap((service) => service.functions), ...jobQueueFunctions(jobs)], jobs };
}

/** Handler modules sit beside this tree: sources when run from .ts, dist/ when run from .js. */
const layerRoot = new URL('../', import.meta.url);
const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

/** The URL of a factory module, sources or built. */
export function moduleUrl(module: string): string {
  return pathToFileURL(new URL(`${module}${extension}`, layerRoot).pathname).href;
}

/** How a factory module is imported: by its URL, or (in a Lambda bundle) by the loader its entry was built with. */
export type ModuleLoaders = Readonly<Record<string, () => Promise<unknown>>>;

async function importFactory(reference: string, loaders: ModuleLoaders, defaultExport = 'handler'): Promise<Factory> {
  const { module, exportName } = handlerReference(reference.includes('#') ? reference : `${reference}#${defaultExport}`);
  const loaded = (await (loaders[module]?.() ?? import(moduleUrl(module)))) as Record<string, unknown>;
  const factory = loaded[exportName];
  if (typeof factory !== 'function') throw new Error(`${module} does not export a factory named ${exportName}.`);
  return factory as Factory;
}

/** The route with the auth class its `authSetting` variable gives, if it names one (validated at start-up with its service's settings). */
function withConfiguredAuth(def: FunctionDef<HttpTrigger>, env: Env): FunctionDef<HttpTrigger> {
  const { authSetting, auth } = def.trigger;
  if (!authSetting) return def;
  return { ...def, trigger: { ...def.trigger, auth: choice<'public' | 'user'>(env, authSetting, ['public', 'user'], auth === 'user' ? 'user' : 'public') } };
}

function isHttpResult(result: HttpFactoryResult | AnyHandler): result is { handler: PorticoHttpHandler<never>; authenticate: Authenticator } {
  return typeof result === 'object' && result !== null && 'handler' in result;
}

export function createApp(options: AppOptions): PorticoApp {
  const env = options.env ?? process.env;
  const config = loadConfig(env);
  const { services } = options;
  const { functions, jobs } = functionTable(services, env);
  const containers = [
    ...jobRuntimeContainers(jobs),
    rateLimitsContainer,
    webhookDeliveriesContainer,
    revokedUsersContainer,
    migrationsContainer,
    ...services.flatMap((service) => service.containers),
  ];
  const serviceOf = new Map(services.flatMap((service) => service.jobs.map((spec) => [spec.type, service.name] as const)));
  const identity = services.find((service) => service.name === 'identity');
  const ports: Ports = createPorts(
    {
      config,
      env,
      localHost: options.localHost === true,
      containers,
      probeQueue: jobs[0]?.queue,
      sendgrid: () => {
        const settings = identity?.settings.load(env) as { sendgridKey?: string; emailFrom?: string } | undefined;
        return settings?.sendgridKey && settings.emailFrom ? { apiKey: settings.sendgridKey, from: settings.emailFrom } : undefined;
      },
    },
    options.ports,
  );

  const jobRuntime = once(
    (): JobRuntimeDeps => ({
      documents: ports.documents,
      queue: ports.queue,
      blobs: ports.blobs,
      clock: ports.clock,
      ids: ports.ids,
      logger: ports.logger,
      metrics: ports.metrics,
      jobs,
      settings: (spec) => jobSettings(spec.settingsPrefix, env),
      leaseSeconds: config.jobLeaseSeconds,
      bindJob: async (spec) => {
        if (!spec.handler) throw new Error(`Job ${spec.type} names no factory module.`);
        const createRun = await importFactory(spec.handler, options.modules ?? {}, 'createRun');
        return (createRun as unknown as (deps: Deps) => JobRun<unknown>)(depsOf(serviceOf.get(spec.type)));
      },
    }),
  );
  const catalog: Catalog = {
    version,
    functions,
    containers,
    jobs,
    openApiDocument: once(() => openApiDocument(functions, { version })),
    pendingMigrations: () => pendingMigrations(ports.documents, services),
    healthQueues: [...new Set(services.flatMap((service) => service.healthQueues.map((queue) => (typeof queue === 'string' ? queue : jobs.find((job) => job.type === queue.type)!.queue))))],
  };

  const eraseUser = once(() =>
    createEraseUser({ services, documents: ports.documents, blobs: ports.blobs, clock: ports.clock, settingsOf: (service) => depsOf(service).settings }),
  );

  const depsByService = new Map<string, Deps>();
  function depsOf(service: string | undefined): Deps {
    const key = service ?? '';
    let deps = depsByService.get(key);
    if (!deps) {
      const manifest = services.find((candidate) => candidate.name === service);
      const settings = once(() => manifest?.settings.load(env));
      deps = Object.create(ports, {
        settings: { get: settings, enumerable: true },
        config: { value: config, enumerable: true },
        jobRuntime: { get: jobRuntime, enumerable: true },
        jobs: { get: once(() => createJobClient(jobRuntime())), enumerable: true },
        catalog: { value: catalog, enumerable: true },
        eraseUser: { value: (userId: string, log: ErasureLog) => eraseUser()(userId, log), enumerable: true },
      }) as Deps;
      depsByService.set(key, deps);
    }
    return deps;
  }

  const bound = new Map<string, Promise<AnyHandler>>();
  async function build(def: FunctionDef, given: Factory | undefined): Promise<AnyHandler> {
    if (def.load) return (await def.load()).handler;
    const factory = given ?? (await importFactory(def.handler!, options.modules ?? {}));
    const deps = depsOf(def.service);
    const result = factory(deps as Deps<never>, def);
    if (def.trigger.kind !== 'http') return result as AnyHandler;
    const platform: HttpPlatform = isHttpResult(result) ? { ...deps.platform, authenticate: result.authenticate } : deps.platform;
    const inner = (isHttpResult(result) ? result.handler : result) as PorticoHttpHandler<unknown>;
    return httpHandler(withConfiguredAuth(def as FunctionDef<HttpTrigger>, env), inner, platform);
  }

  function bind(def: FunctionDef, factory?: Factory): Promise<AnyHandler> {
    let handler = bound.get(def.name);
    if (!handler) {
      // A failed build (a bad setting) is not kept: the next call tries again and reports it again.
      handler = build(def, factory).catch((error: unknown) => {
        bound.delete(def.name);
        throw error;
      });
      bound.set(def.name, handler);
    }
    return handler;
  }

  function validate(): void {
    loadAuthSettings(env, { localHost: options.localHost === true });
    loadAiSettings(env);
    loadTelemetrySettings(env);
    for (const service of services) service.settings.load(env);
    for (const spec of jobs) jobSettings(spec.settingsPrefix, env);
    // Every route's limit and webhook secrets must exist, or the first request would find out.
    const limits = ports.platform.rateLimits?.config;
    for (const def of functions) {
      if (def.trigger.kind !== 'http') continue;
      if (limits) routeRateLimit(limits, def.trigger);
      // An optional one may be unset (its route answers 503 not_configured), never malformed.
      const webhook = def.trigger.webhook;
      if (webhook && (!webhook.optional || webhookSecretsSet(webhook.secretsVariable, env))) loadWebhookSecrets(webhook.secretsVariable, env);
    }
  }

  return { env, config, services, functions, jobs, containers, ports, bind, depsOf, validate, find: (name) => functions.find((def) => def.name === name) };
}

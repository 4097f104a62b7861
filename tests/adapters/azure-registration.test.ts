/** What Azure is told: every table entry registered with the right trigger metadata. */
import { beforeAll, describe, expect, it } from '@jest/globals';
import azf from '@azure/functions';
import { createRequire } from 'node:module';
import { functions } from '../../app/functions.ts';
import type { FunctionDef } from '../../kernel/functions.ts';
import { registerFunctions } from '../../adapters/azure/register.ts';
import { bindInline } from '../../adapters/local/invoke.ts';
import { fixtureFunctions } from '../support/fixture-functions.ts';

interface Registration {
  metadata: { name: string; bindings: Record<string, Record<string, unknown>> };
  callback: unknown;
}
const core = createRequire(import.meta.url)('@azure/functions-core') as { registrations: Registration[] };

function triggerOf(name: string) {
  const registration = core.registrations.find((item) => item.metadata.name === name);
  expect(registration).toBeDefined();
  const bindings = Object.values(registration!.metadata.bindings);
  return { trigger: bindings.find((binding) => String(binding.type).endsWith('Trigger'))!, bindings, registration: registration! };
}

describe('registration with the Azure Functions programming model', () => {
  const all: readonly FunctionDef[] = [...functions, ...fixtureFunctions].filter((def) => !def.localOnly);

  beforeAll(async () => {
    // The real entry point registers the real app's table; the fixtures add one of each other trigger.
    await import('../../adapters/azure/main.ts');
    registerFunctions(azf.app, { functions: fixtureFunctions, bind: bindInline });
  });

  it('registers every function exactly once', () => {
    const names = core.registrations.map((item) => item.metadata.name);
    expect(names.sort()).toEqual(all.map((def) => def.name).sort());
  });

  it('registers HTTP functions with method, Azure route, anonymous auth and an HTTP output', () => {
    for (const def of functions) {
      if (def.trigger.kind !== 'http' || def.localOnly) continue;
      const { trigger, bindings } = triggerOf(def.name);
      expect(trigger).toMatchObject({
        type: 'httpTrigger',
        direction: 'in',
        methods: [def.trigger.method],
        authLevel: 'anonymous',
        route: def.trigger.route.replace('{proxy+}', '{*proxy}'),
      });
      expect(bindings.some((binding) => binding.type === 'http' && binding.direction === 'out')).toBe(true);
    }
  });

  it('registers queue, timer and blob triggers with their queue, schedule, path and connection', () => {
    expect(triggerOf('fixture-queue').trigger).toMatchObject({ type: 'queueTrigger', queueName: 'fixture-jobs', connection: 'AzureWebJobsStorage' });
    expect(triggerOf('fixture-timer').trigger).toMatchObject({ type: 'timerTrigger', schedule: '*/2 * * * * *', runOnStartup: false });
    expect(triggerOf('fixture-blob').trigger).toMatchObject({ type: 'blobTrigger', path: 'uploads/{name}', connection: 'AzureWebJobsStorage' });
  });

  it('registers callbacks that run the handler through the adapter', async () => {
    const callback = triggerOf('health').registration.callback as (
      request: InstanceType<typeof azf.HttpRequest>,
      context: InstanceType<typeof azf.InvocationContext>,
    ) => Promise<InstanceType<typeof azf.HttpResponse>>;
    const response = await callback(
      new azf.HttpRequest({ method: 'GET', url: 'http://localhost:7071/api/health' }),
      new azf.InvocationContext({ invocationId: 'inv-h', functionName: 'health' }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('inv-h');
    expect(await response.json()).toMatchObject({ status: 'healthy', version: expect.any(String) });
  });

  it('never registers a local-only function', () => {
    const localOnly = { ...fixtureFunctions[0]!, name: 'dev-only', localOnly: true } as FunctionDef;
    const seen: string[] = [];
    const record = (name: string) => void seen.push(name);
    registerFunctions({ http: record, storageQueue: record, timer: record, storageBlob: record } as never, { functions: [localOnly, fixtureFunctions[1]!], bind: bindInline });
    expect(seen).toEqual(['fixture-timer']);
  });

  it('binds a function on its first invocation, not at registration', async () => {
    const bound: string[] = [];
    const handlers = new Map<string, (timer: unknown, context: InstanceType<typeof azf.InvocationContext>) => Promise<unknown>>();
    const record = (name: string, options: { handler: (timer: unknown, context: InstanceType<typeof azf.InvocationContext>) => Promise<unknown> }) => void handlers.set(name, options.handler);
    const bind = async (def: FunctionDef) => (bound.push(def.name), bindInline(def));
    registerFunctions({ http: record, storageQueue: record, timer: record, storageBlob: record } as never, { functions: fixtureFunctions, bind });
    expect([...handlers.keys()].sort()).toEqual(['fixture-blob', 'fixture-queue', 'fixture-timer']);
    expect(bound).toEqual([]);
    const timer = { isPastDue: false, scheduleStatus: { last: '', next: '', lastUpdated: '' } };
    const fire = () => handlers.get('fixture-timer')!(timer, new azf.InvocationContext({ invocationId: 'inv-t', functionName: 'fixture-timer' }));
    await fire();
    expect(bound).toEqual(['fixture-timer']);
  });

  it('has unique, kebab-case names and routes', () => {
    const names = all.map((def) => def.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z][a-z0-9-]*$/);
    const routes = functions.filter((def) => def.trigger.kind === 'http').map((def) => JSON.stringify([(def.trigger as { method: string }).method, (def.trigger as { route: string }).route]));
    expect(new Set(routes).size).toBe(routes.length);
  });
});

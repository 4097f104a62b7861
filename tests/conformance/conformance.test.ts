/**
 * Every HTTP case through every caller: the direct Lambda call is the reference, and the Azure
 * adapter, the local host and serverless-offline must give the same status, compared headers,
 * cookies and body (or the exact, documented deviation of an emulator). The cases run in table
 * order, so a case may rely on what an earlier one left in each caller's instance.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { PorticoApp } from '../../app/app.ts';
import { cases, JWT_SECRET, ORIGIN, REQUEST_ID } from './cases.ts';
import { httpCallers, type HttpCaller } from './callers.ts';
import { normalize } from './observed.ts';

/**
 * What every runtime is configured with: in this process, and passed to serverless-offline's
 * functions. Discovery answers from its offline sample set (deterministic, no network, whatever
 * provider keys this shell holds), and its heartbeat events, which depend on timing, stay out.
 */
const env = { CORS_ALLOWED_ORIGINS: ORIGIN, JWT_SECRET, LOG_LEVEL: 'silent', DISCOVERY_PROVIDERS: 'offline', DISCOVERY_HEARTBEAT_SECONDS: '120' };
Object.assign(process.env, env);
// No shared store: a Cosmos DB would carry one caller's cached search into the next caller's.
for (const name of ['AzureWebJobsStorage', 'COSMOS_DB_ENDPOINT', 'COSMOS_DB_KEY']) delete process.env[name];

const callers: { caller: HttpCaller; app: PorticoApp }[] = [];

beforeAll(async () => {
  const { createApp } = await import('../../app/index.ts');
  const { services } = await import('../../app/services.ts');
  for (const caller of httpCallers()) {
    const reason = caller.unavailable?.();
    if (reason) {
      // The suite must prove every runtime in CI; a skip is only for a machine that cannot.
      if (process.env.CI) throw new Error(`conformance caller ${caller.name} cannot run in CI: ${reason}`);
      console.warn(`conformance: skipping the ${caller.name} caller: ${reason}`);
      continue;
    }
    // An app per caller, on the environment above, as each runtime runs its own instances: what an
    // instance keeps (the discovery cache, rate-limit counters) must not carry from one caller to the next.
    const app = createApp({ services, env: process.env });
    await caller.start?.({ app, functions: cases.map((c) => c.function), env });
    callers.push({ caller, app });
  }
}, 900_000); // serverless-offline bundles on start: minutes on a busy 2-core machine
afterAll(() => Promise.all(callers.map(({ caller }) => caller.stop?.())), 30_000);

describe.each(cases)('conformance: $name', (c) => {
  it('gives the same observable result through every caller', async () => {
    const observe = async ({ caller, app }: (typeof callers)[number]) => normalize(await caller.call(c, app), REQUEST_ID, c.unorderedEvents);
    const [reference, ...others] = callers;
    expect(reference!.caller.name).toBe('lambda');
    const expected = await observe(reference!);
    c.check?.(expected);
    expect(expected.status).toBeLessThan(500);
    for (const other of others) {
      const { caller } = other;
      const result = await observe(other);
      const deviation = c.deviations?.[caller.name];
      expect({ caller: caller.name, ...result }).toEqual({ caller: caller.name, ...(deviation ? deviation.expect(expected) : expected) });
    }
  });
});

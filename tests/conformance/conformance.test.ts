/**
 * Every HTTP case through every caller: the direct Lambda call is the reference, and the Azure
 * adapter, the local host and serverless-offline must give the same status, compared headers,
 * cookies and body (or the exact, documented deviation of an emulator).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { PorticoApp } from '../../app/app.ts';
import { cases, JWT_SECRET, ORIGIN, REQUEST_ID } from './cases.ts';
import { httpCallers, type HttpCaller } from './callers.ts';
import { normalize } from './observed.ts';

/** What every runtime is configured with: in this process, and passed to serverless-offline's functions. */
const env = { CORS_ALLOWED_ORIGINS: ORIGIN, JWT_SECRET, LOG_LEVEL: 'silent' };
Object.assign(process.env, env);
delete process.env.AzureWebJobsStorage;

const callers: HttpCaller[] = [];
let app: PorticoApp;

beforeAll(async () => {
  // The app every in-process caller binds from, on the environment above.
  app = (await import('../../app/index.ts')).portico();
  for (const caller of httpCallers()) {
    const reason = caller.unavailable?.();
    if (reason) {
      // The suite must prove all four runtimes in CI; a skip is only for a machine that cannot.
      if (process.env.CI) throw new Error(`conformance caller ${caller.name} cannot run in CI: ${reason}`);
      console.warn(`conformance: skipping the ${caller.name} caller: ${reason}`);
      continue;
    }
    await caller.start?.({ app, functions: cases.map((c) => c.function), env });
    callers.push(caller);
  }
}, 900_000); // serverless-offline bundles on start: minutes on a busy 2-core machine
afterAll(() => Promise.all(callers.map((caller) => caller.stop?.())), 30_000);

describe.each(cases)('conformance: $name', (c) => {
  it('gives the same observable result through every caller', async () => {
    const [reference, ...others] = callers;
    expect(reference!.name).toBe('lambda');
    const expected = normalize(await reference!.call(c, app), REQUEST_ID);
    c.check?.(expected);
    expect(expected.status).toBeLessThan(500);
    for (const caller of others) {
      const result = normalize(await caller.call(c, app), REQUEST_ID);
      const deviation = c.deviations?.[caller.name];
      expect({ caller: caller.name, ...result }).toEqual({ caller: caller.name, ...(deviation ? deviation.expect(expected) : expected) });
    }
  });
});

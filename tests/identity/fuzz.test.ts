/** Property: whatever JSON reaches the credential routes, the answer is never a 5xx, and refusals are problem+json. */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { setup } from './support.ts';

const RUNS = Math.ceil(Number(process.env.FUZZ_RUNS ?? 1000) / 5);

const field = fc.oneof(fc.string({ maxLength: 40 }), fc.emailAddress(), fc.stringMatching(/^[0-9]{5,9}$/), fc.stringMatching(/^[A-Za-z0-9_-]{40,45}$/), fc.jsonValue({ maxDepth: 2 }));
const body = fc.oneof(
  fc.record({ email: field, pin: field, password: field, refreshToken: field, extra: field }, { requiredKeys: [] }),
  fc.jsonValue({ maxDepth: 3 }),
);

describe('fuzzing the accounts routes', () => {
  it(`never answers 5xx (${RUNS} runs per route)`, async () => {
    const t = setup();
    await t.signUp('fuzz@example.com');
    for (const route of ['requestPin', 'confirmSignup', 'login', 'refresh', 'logout'] as const) {
      await fc.assert(
        fc.asyncProperty(body, async (value) => {
          const reply = await t.post(route, value);
          expect(reply.statusCode).toBeLessThan(500);
          if (reply.statusCode >= 400) expect(reply.headers['content-type']).toBe('application/problem+json');
        }),
        { numRuns: RUNS },
      );
    }
  });

  it('accepts any address fast-check thinks valid, or refuses it with 400', async () => {
    const t = setup({ settings: { pinMaxPerHour: 100 } });
    await fc.assert(
      fc.asyncProperty(fc.emailAddress(), async (email) => {
        expect([202, 400]).toContain((await t.post('requestPin', { email })).statusCode);
      }),
      { numRuns: RUNS },
    );
  });
});

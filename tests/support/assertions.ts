/** Small helpers the contract and adapter tests share. */
import { afterAll, beforeAll, expect } from '@jest/globals';
import { ScheduleError } from '../../domain/schedule/ncrontab.ts';

/** The status and code a promise rejects with (an AppError's), or a failure if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<{ status: unknown; code: unknown }> {
  const error: unknown = await promise.then(
    () => new Error('expected a rejection'),
    (reason: unknown) => reason,
  );
  const { status, code } = error as { status?: unknown; code?: unknown };
  return { status, code };
}

/**
 * Static AWS credentials for a describe block, restored afterwards, so an SDK client built by
 * the code under test never goes looking for instance metadata.
 */
export function useStaticAwsCredentials(): void {
  const saved = { AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY };
  beforeAll(() => {
    process.env.AWS_ACCESS_KEY_ID = 'test';
    process.env.AWS_SECRET_ACCESS_KEY = 'test';
  });
  afterAll(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
}

/** Runs `fn`, expecting a ScheduleError, and returns its message. */
export function scheduleError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ScheduleError);
    return (e as Error).message;
  }
  throw new Error('expected a ScheduleError');
}

/**
 * The composition root: the one place that turns configuration into adapters. Everything is
 * built once per cold start and lazily, so a health check never pays for SDKs it does not use.
 */
import { getConfig } from './config.ts';
import { denyAll } from '../middleware/auth.ts';
import type { HttpPlatform } from '../middleware/http-stack.ts';
import { createLogger, type Logger } from '../middleware/logger.ts';

function once<T>(build: () => T): () => T {
  let value: T | undefined;
  let built = false;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value as T;
  };
}

export const getLogger = once((): Logger => {
  const config = getConfig();
  return createLogger({ level: config.logLevel, pretty: config.logPretty });
});

export const getHttpPlatform = once(
  (): HttpPlatform => ({
    logger: getLogger(),
    corsAllowedOrigins: getConfig().corsAllowedOrigins,
    maxBodyBytes: getConfig().maxBodyBytes,
    authenticate: denyAll,
  }),
);

/** Resolves when the dependency answers, rejects when it does not. */
export type DependencyCheck = (signal: AbortSignal) => Promise<void>;

export const getDependencyChecks = once((): Record<string, DependencyCheck> => {
  const { storageConnection } = getConfig();
  const checks: Record<string, DependencyCheck> = {};
  if (storageConnection) {
    checks.storage = async (signal) => {
      const { pingQueueService } = await import('../adapters/storage/queue-service.ts');
      await pingQueueService(storageConnection, signal);
    };
  }
  return checks;
});

/**
 * The composition root on memory ports, for tests: the real manifests, the real `bind`, the real
 * HTTP stack, with documents, queues and blobs in memory and a logger that captures its lines.
 * `testApp().handler('wardrobe-create')` is the handler Azure, Lambda and the local host
 * would run, built from the same factory.
 */
import { MemoryBlobStore } from '../../adapters/memory/blobs.ts';
import { MemoryDocumentStore } from '../../adapters/memory/documents.ts';
import { MemoryMessageQueue } from '../../adapters/memory/message-queue.ts';
import { MemoryMetrics } from '../../adapters/memory/metrics.ts';
import { createApp, type PorticoApp } from '../../app/app.ts';
import type { Ports } from '../../app/ports.ts';
import type { Env } from '../../kernel/env.ts';
import type { AnyHandler } from '../../kernel/functions.ts';
import type { ServiceManifest } from '../../kernel/services.ts';
import { captureLogger } from './platform.ts';
import { testClock } from './jobs.ts';

export interface TestAppOptions {
  env?: Env;
  /** The services under test (app/services.ts `services` for all of them). */
  services: readonly ServiceManifest<unknown>[];
  ports?: Partial<Ports>;
}

/** A JWT secret for tests (32 bytes or more, as the token service requires). */
export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256!';

export function testApp(options: TestAppOptions) {
  const clock = testClock();
  const { logger, lines, records } = captureLogger();
  let id = 0;
  const ports: Partial<Ports> = {
    logger,
    clock,
    ids: { next: () => `id-${++id}` },
    documents: new MemoryDocumentStore(clock),
    queue: new MemoryMessageQueue({ clock }),
    blobs: new MemoryBlobStore({ clock }),
    dependencyChecks: {},
    metrics: new MemoryMetrics(clock),
    ...options.ports,
  };
  const app: PorticoApp = createApp({
    services: options.services,
    env: { LOG_LEVEL: 'silent', JWT_SECRET: TEST_JWT_SECRET, RATE_LIMITING_ENABLED: 'false', ...options.env },
    ports,
  });
  /** The bound handler of the function named `name` (typed by the caller: HttpLambda, QueueLambda, ...). */
  async function handler<H extends AnyHandler>(name: string): Promise<H> {
    const def = app.find(name);
    if (!def) throw new Error(`No function is named ${name}.`);
    return (await app.bind(def)) as H;
  }
  return { app, clock, lines, records, handler, ports: app.ports };
}

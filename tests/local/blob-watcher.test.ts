/**
 * The local host's blob triggers against embedded Azurite: a blob PUT runs the function once
 * with the S3 event handlers take; a failing blob is retried then poisoned into the platform's
 * dead letters; a restarted watcher runs nothing twice and misses nothing put while it was down.
 */
import { describe, it, expect, beforeAll, afterAll, afterEach } from '@jest/globals';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import type { S3Event } from 'aws-lambda';
import { defineFunction, type BlobTrigger, type FunctionDef } from '../../kernel/functions.ts';
import { startAzurite, type Azurite } from '../../adapters/local/azurite.ts';
import { BLOB_TRIGGER_QUEUE, invokeBlobVersion, parseBlobPath, poisonIntoDeadLetters, startBlobWatchers } from '../../adapters/local/blob-watcher.ts';
import { createInvoker } from '../../adapters/local/invoke.ts';
import { createDeadLetters } from '../../jobs/dead-letters.ts';
import { createJobClient } from '../../jobs/job-client.ts';
import { createLogger } from '../../middleware/logger.ts';
import { fixtureBlob, received, resetReceived } from '../support/fixture-functions.ts';
import { memoryRuntime } from '../support/jobs.ts';

const def = fixtureBlob as FunctionDef<BlobTrigger>;
/** A function that fails the way a storage call inside it would (a 404 status): a failure like any other. */
let notFoundRuns = 0;
const notFoundBlob = defineFunction({
  name: 'fixture-blob-not-found',
  trigger: { kind: 'blob', path: 'lookups/{name}' },
  load: async () => ({
    handler: async () => {
      notFoundRuns++;
      throw Object.assign(new Error('the blob it reads is not there'), { statusCode: 404 });
    },
  }),
}) as FunctionDef<BlobTrigger>;
const SCAN_MS = 100;

async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const keysReceived = () => received.blob.flatMap((event) => event.Records.map((record) => record.s3.object.key));
const timesReceived = (key: string) => keysReceived().filter((received) => received === key).length;
/** Several scans' worth of waiting: long enough for a second (wrong) invocation to show. */
const severalScans = () => new Promise((resolve) => setTimeout(resolve, SCAN_MS * 8));

describe('parseBlobPath', () => {
  it('splits the container from the name pattern and matches names by it', () => {
    const plain = parseBlobPath('uploads/{name}');
    expect(plain).toMatchObject({ container: 'uploads', prefix: '' });
    expect(plain.matches('a/b c.wav')).toBe(true);
    const shaped = parseBlobPath('voice-uploads/in/{name}.wav');
    expect(shaped).toMatchObject({ container: 'voice-uploads', prefix: 'in/' });
    expect(shaped.matches('in/x.wav')).toBe(true);
    expect(shaped.matches('in/x.mp3')).toBe(false);
    expect(shaped.matches('out/x.wav')).toBe(false);
    expect(() => parseBlobPath('{name}')).toThrow('container/{name}');
  });
});

describe('startBlobWatchers with Azurite', () => {
  let azurite: Azurite;
  let container: ContainerClient;
  let watcher: { stop(): Promise<void> } | undefined;
  const { deps } = memoryRuntime([]);
  const deadLetters = createDeadLetters(deps, createJobClient(deps));
  const invoker = createInvoker();
  const invocations: string[] = [];

  const start = () =>
    startBlobWatchers(
      [def, notFoundBlob],
      // What main.ts wires: the invoker's blob path, and poison into the dead letters.
      async (fn, blob) => {
        invocations.push(`${blob.name}@${blob.etag}`);
        await invokeBlobVersion(invoker)(fn, blob);
      },
      { connection: azurite.connectionString, scanIntervalMs: SCAN_MS, maxAttempts: 3, retryBaseMs: 50, onPoison: poisonIntoDeadLetters(deadLetters) },
      createLogger({ level: 'silent', pretty: false }),
    );

  const put = (name: string, body: string, contentType = 'audio/wav') =>
    container.getBlockBlobClient(name).upload(body, Buffer.byteLength(body), { blobHTTPHeaders: { blobContentType: contentType } });

  beforeAll(async () => {
    azurite = await startAzurite();
    container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient('uploads');
    watcher = start();
    await until('the watcher to create the container', 10_000, async () => ((await container.exists()) ? true : undefined));
  }, 300_000);

  afterEach(() => resetReceived());

  afterAll(async () => {
    await watcher?.stop();
    await azurite?.stop();
  });

  it('runs the function once per PUT, with the S3 event handlers take and the content', async () => {
    const uploaded = await put('in/a b.wav', 'RIFF....WAVE');
    await until('the invocation', 10_000, () => (timesReceived('in/a+b.wav') > 0 ? true : undefined));
    await severalScans();

    expect(timesReceived('in/a+b.wav')).toBe(1);
    const event = received.blob.find((candidate) => candidate.Records[0]!.s3.object.key === 'in/a+b.wav') as S3Event;
    const record = event.Records[0]!;
    expect(record.eventName).toBe('ObjectCreated:Put');
    expect(record.s3.bucket.name).toBe('uploads');
    expect(record.s3.object.size).toBe(Buffer.byteLength('RIFF....WAVE'));
    expect(record.s3.object.eTag).toBe(uploaded.etag);
    const context = received.contexts.at(-1) as unknown as { functionName: string; platform: { raw: { blob: Buffer } } };
    expect(context.functionName).toBe('fixture-blob');
    expect(context.platform.raw.blob.toString()).toBe('RIFF....WAVE');
  });

  it('runs a blob again when it is replaced (a new version), and only then', async () => {
    await put('replaced.wav', 'one');
    await until('the first version', 10_000, () => (timesReceived('replaced.wav') === 1 ? true : undefined));
    await put('replaced.wav', 'two, longer');
    await until('the second version', 10_000, () => (timesReceived('replaced.wav') === 2 ? true : undefined));
    await severalScans();
    expect(received.blob.filter((event) => event.Records[0]!.s3.object.key === 'replaced.wav').map((event) => event.Records[0]!.s3.object.size)).toEqual([3, 11]);
  });

  it('retries a failing blob, then poisons it into a dead letter with the reason, and runs it no more', async () => {
    const uploaded = await put('please-fail.wav', 'bad');
    await until('three attempts', 20_000, () => (timesReceived('please-fail.wav') === 3 ? true : undefined));
    const letter = await until('the dead letter', 10_000, async () =>
      (await deadLetters.list({ limit: 10 })).items.find((item) => JSON.parse(item.rawMessage ?? '{}').name === 'please-fail.wav'),
    );
    expect(letter).toMatchObject({ reason: 'poisoned', queue: BLOB_TRIGGER_QUEUE, attempts: 3, lastError: 'fixture blob handler failed' });
    expect(JSON.parse(letter!.rawMessage!)).toEqual({ function: 'fixture-blob', container: 'uploads', name: 'please-fail.wav', etag: uploaded.etag });
    expect(await deps.queue.receive(`${BLOB_TRIGGER_QUEUE}-deadletter`, { max: 10, visibilitySeconds: 30 })).toHaveLength(1);
    await severalScans();
    expect(timesReceived('please-fail.wav')).toBe(3);
  });

  it("treats a function's own 404 as its failure (retried, then poisoned), not as a blob deleted meanwhile", async () => {
    const lookups = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient('lookups');
    await until('the watcher to create the container', 10_000, async () => ((await lookups.exists()) ? true : undefined));
    await lookups.getBlockBlobClient('x.json').upload('{}', 2);
    const letter = await until('the dead letter', 20_000, async () =>
      (await deadLetters.list({ limit: 10 })).items.find((item) => JSON.parse(item.rawMessage ?? '{}').function === 'fixture-blob-not-found'),
    );
    expect(letter).toMatchObject({ reason: 'poisoned', attempts: 3, lastError: 'the blob it reads is not there' });
    expect(notFoundRuns).toBe(3);
  });

  it('after a restart, runs nothing twice and what was put while it was down once', async () => {
    await put('before.wav', 'before');
    await until('the blob before the stop', 10_000, () => (timesReceived('before.wav') === 1 ? true : undefined));
    await watcher!.stop();
    const runsAtStop = invocations.length;
    await put('while-down.wav', 'while down');
    await severalScans();
    expect(invocations.length).toBe(runsAtStop);

    watcher = start();
    await until('the blob put while down', 10_000, () => (timesReceived('while-down.wav') === 1 ? true : undefined));
    await severalScans();
    // Only the missed blob ran: not the earlier ones, nor the poisoned one.
    expect(invocations.slice(runsAtStop).map((entry) => entry.split('@')[0])).toEqual(['while-down.wav']);
    expect(timesReceived('before.wav')).toBe(1);
  });
});

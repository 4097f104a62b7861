/** `npm run invoke`: scripts/invoke.ts spawned as the npm script runs it, and the events it builds. */
import { afterAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyEventV2, S3Event, ScheduledEvent, SQSEvent } from 'aws-lambda';
import { functions } from '../../app/functions.ts';
import { httpEvent, lambdaContext, sampleEvent, samplePath } from '../../adapters/aws/lambda-events.ts';
import { fixtureBlob, fixtureQueue, fixtureTimer } from '../support/fixture-functions.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

function invoke(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  // No Storage or Cosmos: the functions under test must not need them.
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent' };
  for (const name of ['AzureWebJobsStorage', 'COSMOS_DB_ENDPOINT', 'COSMOS_DB_KEY']) delete env[name];
  return new Promise((resolve) => {
    execFile(process.execPath, ['--disable-warning=ExperimentalWarning', 'scripts/invoke.ts', ...args], { cwd: root, env, encoding: 'utf8' }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const dir = mkdtempSync(join(tmpdir(), 'portico-invoke-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run invoke', () => {
  it('runs health with a default HTTP event and prints the result as JSON', async () => {
    const { code, stdout, stderr } = await invoke('health');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { statusCode: number; body: string };
    expect(result.statusCode).toBe(200);
    // No Cosmos DB and no queue service configured: no dependency to probe, and neither the migration
    // ledger nor the services' queues can be read (never unhealthy); this instance's resources beside them.
    const unreadable = { error: 'unavailable' };
    expect(JSON.parse(result.body)).toEqual({
      status: 'healthy', version, dependencies: {}, migrations: unreadable,
      queues: { 'voice-enrollment': unreadable, 'voice-synthesis-short': unreadable, 'voice-synthesis-long': unreadable, 'voice-webhooks': unreadable },
      system: { cpu: expect.any(Object), memory: expect.any(Object), disk: expect.any(Object), uptimeSeconds: expect.any(Object) },
    });
  });

  it('sends --data as the JSON body', async () => {
    const { code, stdout } = await invoke('diagnostics-echo', '--data', '{"message":"hello","tags":["a"]}');
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { statusCode: number; body: string };
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ message: 'hello', tags: ['a'] });
  });

  it('runs the whole middleware stack: invalid --data is a 400, not a crash', async () => {
    const { code, stdout } = await invoke('diagnostics-echo', '--data', '{"nope":1}');
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { statusCode: number }).statusCode).toBe(400);
  });

  it('takes a whole event from --event', async () => {
    const file = join(dir, 'echo.json');
    const def = functions.find((candidate) => candidate.name === 'diagnostics-echo')!;
    writeFileSync(file, JSON.stringify(httpEvent(def.trigger as Parameters<typeof httpEvent>[0], '{"message":"from a file"}')));
    const { code, stdout } = await invoke('diagnostics-echo', '--event', file);
    expect(code).toBe(0);
    expect(JSON.parse((JSON.parse(stdout) as { body: string }).body)).toMatchObject({ message: 'from a file' });
  });

  it('refuses an unknown function by name, listing the functions, with exit code 1', async () => {
    const { code, stdout, stderr } = await invoke('no-such-function');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    // Every function of the table (local-only ones too: invoke runs on the developer's machine), in table order.
    expect(stderr).toBe(`Unknown function "no-such-function". Functions: ${functions.map((def) => def.name).join(', ')}.\n`);
    expect(stderr).toMatch(/^Unknown function "no-such-function"\. Functions: health, .*\bdiagnostics-echo, /);
  });

  it('reports a thrown error by its message alone, with exit code 1', async () => {
    // purge-expired needs Cosmos DB, which is not configured here: its handler throws.
    const { code, stdout, stderr } = await invoke('purge-expired');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe('purge-expired failed: Cosmos DB is not configured (COSMOS_DB_ENDPOINT, COSMOS_DB_KEY).\n');
  });

  it('runs a real API Gateway v2 event from tests/events/ (cookies, multi-value query, request id)', async () => {
    const { code, stdout } = await invoke('diagnostics-echo', '--event', join(root, 'tests/events/api-gateway-v2.json'));
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { statusCode: number; headers: Record<string, string>; body: string };
    expect(result.statusCode).toBe(200);
    expect(result.headers['x-request-id']).toBe('sample-request-1');
    expect(JSON.parse(result.body)).toMatchObject({ message: 'hello from API Gateway', requestId: 'sample-request-1' });
  });

  it('reads a streamed answer to its end and prints its frames', async () => {
    const { code, stdout } = await invoke('diagnostics-stream');
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { statusCode: number; headers: Record<string, string>; body: string };
    expect(result.statusCode).toBe(200);
    expect(result.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(result.body.startsWith(': heartbeat\n\n')).toBe(true);
    expect(result.body.match(/^event: (\w+)$/gm)).toEqual(['event: tick', 'event: tick', 'event: tick', 'event: done']);
  });

  it('--sample prints the event it would send, carrying --data, and runs nothing', async () => {
    const { code, stdout, stderr } = await invoke('purge-expired', '--sample', '--data', '{"reason":"manual"}');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ 'detail-type': 'Scheduled Event', source: 'aws.events', detail: { reason: 'manual' } });
    expect((await invoke('health', '--sample', '--event', 'x.json')).code).toBe(1);
  });

  it('refuses --event together with --data', async () => {
    const { code, stderr } = await invoke('health', '--event', 'x.json', '--data', '{}');
    expect(code).toBe(1);
    expect(stderr).toMatch(/not both/);
  });
});

/** Every key path in a JSON value (array items share `[]`), to compare shapes, not values. */
function shape(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => shape(item, `${prefix}[]`));
  if (value === null || typeof value !== 'object') return [prefix];
  return Object.entries(value).flatMap(([key, item]) => [`${prefix}.${key}`, ...shape(item, `${prefix}.${key}`)]);
}

describe('the events invoke builds', () => {
  const now = new Date('2026-01-02T03:04:05Z');

  // Real events as AWS delivers them (tests/events/): a sample must carry every field they carry,
  // except what a particular request may leave out (cookies, a query string, detail's contents).
  const OPTIONAL = /^\.(cookies|queryStringParameters|body)(\[\]|\.|$)|^\.(headers|detail)\./;
  it.each([
    ['api-gateway-v2.json', 'diagnostics-echo'],
    ['sqs.json', 'jobs-system-jobs'],
    ['eventbridge-scheduled.json', 'purge-expired'],
    ['s3.json', fixtureBlob.name],
  ] as const)('%s: the sample event for %s has the shape of the real one', (file, name) => {
    const real = JSON.parse(readFileSync(join(root, 'tests/events', file), 'utf8')) as unknown;
    const def = [...functions, fixtureBlob].find((candidate) => candidate.name === name)!;
    const sample = shape(sampleEvent(def, '{}', now));
    const missing = [...new Set(shape(real))].filter((path) => !OPTIONAL.test(path) && !sample.includes(path));
    expect(missing).toEqual([]);
  });

  it('HTTP: an API Gateway payload 2.0 event for the route, path parameters named after themselves', () => {
    expect(samplePath('admin/jobs/{id}')).toEqual({ path: '/api/admin/jobs/id', parameters: { id: 'id' } });
    expect(samplePath('{proxy+}')).toEqual({ path: '/api/proxy', parameters: { proxy: 'proxy' } });
    const event = httpEvent({ kind: 'http', method: 'POST', route: 'items/{id}', auth: 'public', summary: '', responses: {} }, '{"a":1}', now) as APIGatewayProxyEventV2;
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /api/items/{id}',
      rawPath: '/api/items/id',
      pathParameters: { id: 'id' },
      body: '{"a":1}',
      headers: { 'content-type': 'application/json' },
      requestContext: { http: { method: 'POST', path: '/api/items/id' }, timeEpoch: now.getTime() },
    });
  });

  it('queue: one SQS record whose body is the data, from the queue’s ARN', () => {
    const event = sampleEvent(fixtureQueue, '{"job":1}', now) as SQSEvent;
    expect(event.Records).toHaveLength(1);
    expect(event.Records[0]).toMatchObject({ body: '{"job":1}', eventSource: 'aws:sqs', attributes: { ApproximateReceiveCount: '1' } });
    expect(event.Records[0]!.eventSourceARN).toMatch(/:fixture-jobs$/);
  });

  it('timer: an EventBridge scheduled event, the data as its detail', () => {
    expect(sampleEvent(fixtureTimer, '{"x":1}', now)).toMatchObject({ 'detail-type': 'Scheduled Event', source: 'aws.events', time: now.toISOString(), detail: { x: 1 } } satisfies Partial<ScheduledEvent>);
  });

  it('blob: an S3 ObjectCreated event in the trigger’s bucket, the data as the key', () => {
    const event = sampleEvent(fixtureBlob, 'in/a b.txt', now) as S3Event;
    expect(event.Records[0]).toMatchObject({ eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'uploads' }, object: { key: 'in/a+b.txt' } } });
  });

  it('gives a context whose remaining time counts down from the timeout', () => {
    let clock = 1000;
    const context = lambdaContext(fixtureQueue, 300_000, {}, () => clock);
    expect(context.getRemainingTimeInMillis()).toBe(300_000);
    clock += 1000;
    expect(context.getRemainingTimeInMillis()).toBe(299_000);
    expect(context).toMatchObject({ functionName: 'fixture-queue', invokedFunctionArn: expect.stringMatching(/:function:fixture-queue$/) });
  });
});

/**
 * The local host over real HTTP on 127.0.0.1 (port 0): routing, problem responses, the request
 * mapping it shares with Azure, and POST /admin/functions/<name> for non-HTTP functions. The last
 * block runs `adapters/local/main.ts` as a real process, with embedded Azurite.
 */
import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { defineFunction, type FunctionDef } from '../../kernel/functions.ts';
import { createApp } from '../../app/app.ts';
import { version } from '../../app/project.ts';
import { services } from '../../app/services.ts';
import { freePort } from '../../adapters/local/azurite.ts';
import { createInvoker } from '../../adapters/local/invoke.ts';
import { createLocalHost, type LocalHost } from '../../adapters/local/server.ts';
import { createLogger } from '../../middleware/logger.ts';
import { fixtureFunctions, received, resetReceived } from '../support/fixture-functions.ts';
import { spawnGroup, type Spawned } from '../support/spawned.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** An HTTP function that reports what the handler saw, so the mapping is observed end to end. */
const headerProbe = defineFunction({
  name: 'local-header-probe',
  trigger: {
    kind: 'http',
    method: 'GET',
    route: 'local-probe/headers',
    auth: 'public',
    summary: 'Test probe',
    responses: { 200: { description: 'What the handler saw' } },
  },
  load: async () => ({
    handler: async (event) => ({
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      cookies: ['session=a=b=c; Path=/; HttpOnly', 'theme=dark'],
      body: JSON.stringify({ headers: event.headers, cookies: event.cookies ?? null }),
    }),
  }),
});

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** One request on its own connection (no keep-alive pool left behind). */
function send(base: string, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(path, base), { method, agent: false, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(20_000, () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** Decodes a `Transfer-Encoding: chunked` body. */
function dechunk(text: string): string {
  let out = '';
  let rest = text;
  for (;;) {
    const eol = rest.indexOf('\r\n');
    const size = parseInt(rest.slice(0, eol), 16);
    if (!(size > 0)) return out;
    out += rest.slice(eol + 2, eol + 2 + size);
    rest = rest.slice(eol + 2 + size + 2);
  }
}

/**
 * Writes the request bytes exactly as given, so a header can really be sent twice on the wire,
 * and returns the response's header lines (as sent) and its body.
 */
function sendRaw(port: number, raw: string): Promise<{ statusLine: string; headerLines: string[]; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(raw));
    const chunks: Buffer[] = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error('raw request timed out')));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const [statusLine = '', ...headerLines] = text.slice(0, split).split('\r\n');
      const payload = text.slice(split + 4);
      const chunked = headerLines.some((line) => /^transfer-encoding:\s*chunked$/i.test(line));
      resolve({ statusLine, headerLines, body: chunked ? dechunk(payload) : payload });
    });
    socket.on('error', reject);
  });
}

const post = (base: string, path: string, body: unknown) =>
  send(base, 'POST', path, JSON.stringify(body), { 'content-type': 'application/json' });

function expectProblem(reply: Reply, status: number, code: string): Record<string, unknown> {
  expect(reply.status).toBe(status);
  expect(reply.headers['content-type']).toBe('application/problem+json');
  const problem = JSON.parse(reply.text) as Record<string, unknown>;
  expect(problem.status).toBe(status);
  expect(problem.code).toBe(code);
  expect(typeof problem.requestId).toBe('string');
  expect((problem.requestId as string).length).toBeGreaterThan(0);
  expect(reply.text).not.toMatch(/\n\s+at /);
  return problem;
}

describe('local host over HTTP', () => {
  let host: LocalHost;
  let base: string;
  let port: number;

  beforeAll(async () => {
    // The real app, as main.ts builds it, on an environment with no storage and quiet logs; its
    // bind also runs the fixtures' inline handlers.
    const app = createApp({ services, env: { LOG_LEVEL: 'silent', LOG_PRETTY: 'false' } });
    host = createLocalHost({
      table: [...app.functions, ...fixtureFunctions, headerProbe as FunctionDef],
      port: 0,
      logger: createLogger({ level: 'silent', pretty: false }),
      maxBodyBytes: 64 * 1024,
      invoker: createInvoker(app.bind),
    });
    base = await host.listen();
    port = Number(new URL(base).port);
  });

  afterAll(async () => {
    await host?.close();
  });

  beforeEach(() => resetReceived());

  it('listens on a real port on loopback', () => {
    expect(port).toBeGreaterThan(0);
    const address = host.server.address();
    expect(typeof address === 'object' && address?.address).toBe('127.0.0.1');
  });

  it('GET /api/health answers 200 with status, version and dependencies', async () => {
    const reply = await send(base, 'GET', '/api/health');
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    const body = JSON.parse(reply.text) as { status: string; version: string; dependencies: Record<string, unknown> };
    expect(body.status).toBe('healthy');
    expect(body.version).toBe(version);
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    expect(body.dependencies).toEqual({});
    // It went through the real HTTP stack: telemetry adds the request id.
    expect(reply.headers['x-request-id']).toEqual(expect.any(String));
  });

  it('answers an unknown route with a 404 problem', async () => {
    const problem = expectProblem(await send(base, 'GET', '/api/no/such/route'), 404, 'route_not_found');
    expect(problem.instance).toBe('/api/no/such/route');
  });

  it('answers a path outside /api with a 404 problem', async () => {
    expectProblem(await send(base, 'GET', '/health'), 404, 'route_not_found');
  });

  it('answers a wrong method on a known route with 405 and an Allow header', async () => {
    const reply = await send(base, 'DELETE', '/api/health');
    expectProblem(reply, 405, 'method_not_allowed');
    const allow = (reply.headers.allow ?? '').split(/\s*,\s*/);
    expect(allow).toContain('GET');
    expect(allow).toContain('OPTIONS');
    expect(allow).not.toContain('DELETE');
    const echo = await send(base, 'GET', '/api/diagnostics/echo');
    expectProblem(echo, 405, 'method_not_allowed');
    const echoAllow = (echo.headers.allow ?? '').split(/\s*,\s*/);
    expect(echoAllow).toContain('POST');
    expect(echoAllow).not.toContain('GET');
  });

  it('joins a header sent twice on the wire with ", " before the handler sees it', async () => {
    const raw = await sendRaw(
      port,
      'GET /api/local-probe/headers HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Multi: a\r\nx-multi: a\r\nX-Single: b\r\nConnection: close\r\n\r\n',
    );
    expect(raw.statusLine).toMatch(/^HTTP\/1\.1 200 /);
    const seen = JSON.parse(raw.body) as { headers: Record<string, string> };
    expect(seen.headers['x-multi']).toBe('a, a');
    expect(seen.headers['x-single']).toBe('b');
  });

  it('delivers cookies as event.cookies and sends each Set-Cookie as its own header, "=" intact', async () => {
    const raw = await sendRaw(
      port,
      'GET /api/local-probe/headers HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: a=1\r\nCookie: token=x=y==\r\nConnection: close\r\n\r\n',
    );
    expect(raw.statusLine).toMatch(/^HTTP\/1\.1 200 /);
    const seen = JSON.parse(raw.body) as { headers: Record<string, string>; cookies: string[] | null };
    expect(seen.cookies).toEqual(['a=1', 'token=x=y==']);
    expect(seen.headers.cookie).toBeUndefined();
    const setCookies = raw.headerLines.filter((line) => /^set-cookie:/i.test(line));
    expect(setCookies).toHaveLength(2);
    expect(setCookies[0]).toMatch(/^set-cookie: session=a=b=c; Path=\/; HttpOnly$/i);
    expect(setCookies[1]).toMatch(/^set-cookie: theme=dark$/i);
  });

  describe('POST /admin/functions/<name>', () => {
    it('runs a queue function with an SQSEvent whose body is the JSON text', async () => {
      const reply = await post(base, '/admin/functions/fixture-queue', { input: { hello: 'world' } });
      expect(reply.status).toBe(202);
      const body = JSON.parse(reply.text) as { function: string; status: string; durationMs: number };
      expect(body).toEqual({ function: 'fixture-queue', status: 'succeeded', durationMs: expect.any(Number) });
      expect(received.queue).toHaveLength(1);
      const records = received.queue[0]!.Records;
      expect(records).toHaveLength(1);
      expect(records[0]!.body).toBe('{"hello":"world"}');
      expect(records[0]!.attributes.ApproximateReceiveCount).toBe('1');
      expect(records[0]!.eventSourceARN).toBe('azure:storagequeue:fixture-jobs');
      expect(received.contexts[0]!.functionName).toBe('fixture-queue');
      expect(received.contexts[0]!.getRemainingTimeInMillis()).toBeGreaterThan(0);
    });

    it('passes a string input to a queue function as the raw message text', async () => {
      const reply = await post(base, '/admin/functions/fixture-queue', { input: 'plain text' });
      expect(reply.status).toBe(202);
      expect(received.queue[0]!.Records[0]!.body).toBe('plain text');
    });

    it('runs a timer function that is not past due', async () => {
      const reply = await post(base, '/admin/functions/fixture-timer', {});
      expect(reply.status).toBe(202);
      expect(JSON.parse(reply.text)).toMatchObject({ function: 'fixture-timer', status: 'succeeded' });
      expect(received.timer).toHaveLength(1);
      expect(received.timer[0]!.detail).toMatchObject({ isPastDue: false, schedule: '*/2 * * * * *' });
      expect(received.timer[0]!['detail-type']).toBe('Scheduled Event');
    });

    it('runs a blob function with an S3Event: container is the bucket, the key form-encoded', async () => {
      const reply = await post(base, '/admin/functions/fixture-blob', { input: 'uploads/a b.png' });
      expect(reply.status).toBe(202);
      expect(received.blob).toHaveLength(1);
      const s3 = received.blob[0]!.Records[0]!.s3;
      expect(s3.bucket.name).toBe('uploads');
      expect(s3.object.key).toBe('a+b.png');
      expect(s3.object.size).toBe(0);
    });

    it('does not invent a bucket from a blob path that names no container', async () => {
      // `a.png` has no `container/` part. Acceptable answers: refuse it (400), or take the container
      // from the trigger path (uploads). Not acceptable: a bucket cut out of the blob name ("a.pn").
      const reply = await post(base, '/admin/functions/fixture-blob', { input: 'a.png' });
      if (reply.status === 202) {
        expect(received.blob).toHaveLength(1);
        expect(received.blob[0]!.Records[0]!.s3.bucket.name).toBe('uploads');
        expect(received.blob[0]!.Records[0]!.s3.object.key).toBe('a.png');
      } else {
        expect(reply.status).toBe(400);
        expect(reply.headers['content-type']).toBe('application/problem+json');
        expect(received.blob).toHaveLength(0);
      }
    });

    it('refuses an admin body larger than maxBodyBytes with a 413 problem and runs nothing', async () => {
      // maxBodyBytes is 64 KiB here; 100 KiB is over it.
      const reply = await post(base, '/admin/functions/fixture-queue', { input: 'x'.repeat(100 * 1024) });
      expectProblem(reply, 413, 'body_too_large');
      expect(received.queue).toHaveLength(0);
    });

    it('answers an unknown function name with a 404 problem and runs nothing', async () => {
      const reply = await post(base, '/admin/functions/no-such-function', { input: 'x' });
      const problem = expectProblem(reply, 404, 'function_not_found');
      expect(problem.detail).toContain('no-such-function');
      expect(received.queue.length + received.timer.length + received.blob.length).toBe(0);
    });

    it('answers an HTTP function name with a 400 problem', async () => {
      expectProblem(await post(base, '/admin/functions/health', {}), 400, 'http_function');
    });

    it('reports a failing queue message as 202 with status "failed"', async () => {
      const reply = await post(base, '/admin/functions/fixture-queue', { input: 'fail' });
      expect(reply.status).toBe(202);
      expect(JSON.parse(reply.text)).toEqual({ function: 'fixture-queue', status: 'failed' });
      // It did run: the failure is the handler's batchItemFailures, not a refusal to invoke.
      expect(received.queue).toHaveLength(1);
      expect(received.queue[0]!.Records[0]!.body).toBe('fail');
    });

    it('reports a throwing queue handler as 202 with status "failed"', async () => {
      const reply = await post(base, '/admin/functions/fixture-queue', { input: 'throw' });
      expect(reply.status).toBe(202);
      expect(JSON.parse(reply.text)).toMatchObject({ status: 'failed' });
    });

    it('answers malformed JSON with a 400 problem', async () => {
      const reply = await send(base, 'POST', '/admin/functions/fixture-queue', '{"input":', { 'content-type': 'application/json' });
      expectProblem(reply, 400, 'malformed_json');
      expect(received.queue).toHaveLength(0);
    });

    it('answers a JSON body that is not an object (null) with a 4xx problem, not a 500', async () => {
      const reply = await send(base, 'POST', '/admin/functions/fixture-queue', 'null', { 'content-type': 'application/json' });
      expect(reply.status).toBeGreaterThanOrEqual(400);
      expect(reply.status).toBeLessThan(500);
      expect(reply.headers['content-type']).toBe('application/problem+json');
    });
  });
});

const started: ChildProcess[] = [];

/** Runs main.ts in its own process group, so its Azurite child can be cleaned up with it. */
function startMain(env: Record<string, string>): Spawned {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['AzureWebJobsStorage', 'COSMOS_DB_ENDPOINT', 'COSMOS_DB_KEY', 'PORT', 'CORS_ALLOWED_ORIGINS', 'LOG_LEVEL', 'LOG_PRETTY', 'MAX_BODY_BYTES']) {
    delete childEnv[name];
  }
  // Embedded emulators persist under the data folder: keep each run's out of the repository.
  childEnv.PORTICO_DATA_DIR = mkdtempSync(join(tmpdir(), 'portico-main-'));
  const spawned = spawnGroup(process.execPath, ['--disable-warning=ExperimentalWarning', 'adapters/local/main.ts'], { cwd: ROOT, env: { ...childEnv, ...env } });
  started.push(spawned.child);
  return spawned;
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until<T>(what: string, deadlineMs: number, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const within = <T>(promise: Promise<T>, ms: number, what: string) => {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms))),
  ]);
};

describe('adapters/local/main.ts as a process', () => {
  afterAll(() => {
    // Anything still running (a failed test) goes, with its whole group (embedded Azurite too).
    for (const child of started) {
      if (child.pid !== undefined && groupAlive(child.pid)) process.kill(-child.pid, 'SIGKILL');
    }
  });

  it('starts with embedded Azurite, reports storage up, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const main = startMain({ PORT: String(port) });
    const earlyExit = main.exited.then(({ code }) => {
      throw new Error(`main.ts exited early with ${code}: ${main.stderr()}`);
    });
    earlyExit.catch(() => undefined);

    const line = await Promise.race([
      earlyExit,
      until('the listening log line', 40_000, () =>
        main
          .stdout()
          .split('\n')
          .filter(Boolean)
          .map((text) => JSON.parse(text) as { url?: string; msg?: string })
          .find((entry) => entry.url),
      ),
    ]);
    expect(line.url).toBe(`http://localhost:${port}`);

    const health = await until('a healthy answer', 20_000, async () => {
      const reply = await send(`http://127.0.0.1:${port}`, 'GET', '/api/health').catch(() => undefined);
      return reply?.status === 200 ? reply : undefined;
    });
    const body = JSON.parse(health.text) as { status: string; dependencies: Record<string, { status: string; latencyMs: number }> };
    expect(body.status).toBe('healthy');
    expect(body.dependencies.storage).toMatchObject({ status: 'up', latencyMs: expect.any(Number) });
    expect(body.dependencies.cosmos).toMatchObject({ status: 'up', latencyMs: expect.any(Number) });

    main.child.kill('SIGTERM');
    const { code, signal } = await within(main.exited, 15_000, 'shutdown after SIGTERM');
    expect(signal).toBeNull();
    expect(code).toBe(0);
    expect(main.stderr()).toBe('');
    const messages = main
      .stdout()
      .split('\n')
      .filter(Boolean)
      .map((text) => (JSON.parse(text) as { msg: string }).msg);
    expect(messages).toContain('shutting down');
    expect(messages[messages.length - 1]).toBe('stopped');
    // The embedded Azurite went with it: nothing is left in the process group.
    await until('the process group to empty', 30_000, () => (groupAlive(main.child.pid!) ? undefined : true));
    // And the port is free again.
    await expect(send(`http://127.0.0.1:${port}`, 'GET', '/api/health')).rejects.toThrow(/ECONNREFUSED/);
  }, 300_000);

  it.each([
    ['PORT', 'abc'],
    ['CORS_ALLOWED_ORIGINS', 'notanorigin'],
    ['LOG_LEVEL', 'loud'],
  ])('refuses to start when %s=%s, naming the variable without a stack trace', async (name, value) => {
    const main = startMain({ [name]: value, PORT: name === 'PORT' ? value : '0' });
    const { code } = await within(main.exited, 15_000, 'exit on invalid configuration');
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    const stderr = main.stderr();
    expect(stderr).toContain(name);
    expect(stderr).toContain('Invalid configuration');
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    // It stopped before starting anything: no listening line.
    expect(main.stdout()).not.toContain('listening');
  });
});

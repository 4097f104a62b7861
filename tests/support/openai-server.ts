/**
 * A local OpenAI-compatible chat server for tests and the e2e suite, on 127.0.0.1 and a free port.
 * The real `openai` SDK talks to it unchanged, as OpenAI (`baseURL`) or as Azure (`endpoint`).
 *
 *   const server = await startOpenAIServer();
 *   server.enqueue(jsonReply({ category: 'top' }), { fault: 429, retryAfterMs: 10 }, textReply('Hi there'));
 *   server.respondWith((request) => textReply(`You said ${lastUserText(request)}`)); // when the queue is empty
 *   ... OPENAI_API_KEY=test OPENAI_BASE_URL=server.openaiBaseURL          (OpenAI)
 *   ... AZURE_OPENAI_ENDPOINT=server.url AZURE_OPENAI_API_KEY=test        (Azure: /openai/deployments/{d}/...)
 *   expect(server.requests[0]?.responseFormat).toMatchObject({ type: 'json_schema' });
 *   await server.close();
 *
 * Chat routes: `POST /v1/chat/completions` and `POST /openai/deployments/{deployment}/chat/completions`
 * (also without the `/v1` prefix, for base URLs that already carry it). Each call takes the next
 * scripted reply from the queue, else the responder's reply, else a 500 saying nothing was
 * scripted. A reply is an answer (`content`, streamed as `deltas` when the call streams; SSE
 * `data:` chunks, a usage chunk when `stream_options.include_usage`, then `[DONE]`) or a fault:
 *   - `{ fault: 429, retryAfterSeconds?, retryAfterMs? }`: rate limited, with Retry-After headers;
 *   - `{ fault: 500 }` (or another 5xx in `status`): a server error;
 *   - `{ fault: 'stall' }`: never answers; the client's timeout or abort ends it;
 *   - `{ fault: 'broken-stream', deltas? }`: sends a few deltas, then destroys the socket.
 * Every request is recorded (path, deployment, api-version, model, messages, response_format...).
 *
 * Speech to text: `POST /v1/audio/transcriptions` (and the Azure deployment route) reads the
 * multipart upload as Whisper does, records it in `transcriptions` (model, file name, type, bytes,
 * response_format), and answers `transcribeWith`'s reply: a transcript (plain text for
 * `response_format=text`, else `{ text }`) or `{ fault: 500 }`; by default "heard <n> bytes".
 *
 * Embeddings: `POST /v1/embeddings` (and the Azure deployment route) records each call in
 * `embeddings` (model, input, dimensions, encoding_format) and answers `embedWith`'s reply: the
 * vectors (base64 float32 when the SDK asks for base64, as it does by default; listed in reverse
 * order with their `index` when `reversed`), or a 429 / 5xx fault; by default `testEmbedding`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AnswerReply {
  /** The assistant's whole answer (for structured calls, the JSON text). */
  content: string;
  /** How a streamed answer is cut; defaults to word-sized pieces. Must join to `content`. */
  deltas?: readonly string[];
  /** Pause between streamed deltas, so a test can act mid-stream. */
  deltaDelayMs?: number;
  usage?: { prompt_tokens: number; completion_tokens: number };
  finishReason?: 'stop' | 'length' | 'content_filter';
}

export type FaultReply =
  | { fault: 429; retryAfterSeconds?: number; retryAfterMs?: number }
  | { fault: 500; status?: number }
  | { fault: 'stall' }
  | { fault: 'broken-stream'; deltas?: readonly string[] };

export type Reply = AnswerReply | FaultReply;

export interface RecordedRequest {
  path: string;
  /** The Azure deployment from the path, when the Azure route was called. */
  deployment: string | undefined;
  apiVersion: string | null;
  /** `authorization` (OpenAI) or `api-key` (Azure), as sent. */
  credential: string | undefined;
  model: string | undefined;
  messages: { role: string; content: unknown }[];
  stream: boolean;
  responseFormat: Record<string, unknown> | undefined;
  body: Record<string, unknown>;
}

export type Responder = (request: RecordedRequest) => Reply | Promise<Reply>;

export interface RecordedTranscription {
  path: string;
  deployment: string | undefined;
  credential: string | undefined;
  model: string | undefined;
  fileName: string | undefined;
  fileType: string | undefined;
  bytes: Uint8Array;
  responseFormat: string | undefined;
}

export type TranscriptionReply = { text: string } | { fault: 500 };
export type TranscriptionResponder = (request: RecordedTranscription) => TranscriptionReply;

export interface RecordedEmbedding {
  path: string;
  deployment: string | undefined;
  apiVersion: string | null;
  credential: string | undefined;
  model: string | undefined;
  input: string[];
  dimensions: number | undefined;
  encodingFormat: string | undefined;
  body: Record<string, unknown>;
}

export type EmbeddingReply =
  | { vectors: number[][]; usage?: { prompt_tokens: number }; reversed?: boolean }
  | Extract<FaultReply, { fault: 429 | 500 }>;
export type EmbeddingResponder = (request: RecordedEmbedding) => EmbeddingReply;

/** The default answer's vector: the text's length, then its first character codes / 1000, `dimensions` long (default 8). */
export function testEmbedding(text: string, dimensions = 8): number[] {
  return Array.from({ length: dimensions }, (_, i) => (i === 0 ? text.length : (text.codePointAt(i - 1) ?? 0) / 1000));
}

export interface OpenAITestServer {
  /** http://127.0.0.1:<port>: the Azure endpoint. */
  readonly url: string;
  /** `${url}/v1`: the OpenAI base URL. */
  readonly openaiBaseURL: string;
  /** Every chat call received, in order (faulted ones included). */
  readonly requests: RecordedRequest[];
  /** Every transcription call received, in order. */
  readonly transcriptions: RecordedTranscription[];
  /** How transcription calls are answered (default: `heard <n> bytes`). */
  transcribeWith(responder: TranscriptionResponder | undefined): void;
  /** Every embeddings call received, in order. */
  readonly embeddings: RecordedEmbedding[];
  /** How embeddings calls are answered (default: `testEmbedding` of each input). */
  embedWith(responder: EmbeddingResponder | undefined): void;
  /** Scripted replies, one per call, used before the responder. */
  enqueue(...replies: Reply[]): void;
  /** The answer for calls when the queue is empty. */
  respondWith(responder: Responder | undefined): void;
  /** Resolves once `count` calls have been received. */
  waitForRequests(count: number): Promise<void>;
  /** Forgets recorded requests and scripted replies (and the embeddings responder). */
  reset(): void;
  close(): Promise<void>;
}

export const jsonReply = (value: unknown, extra: Omit<AnswerReply, 'content'> = {}): AnswerReply => ({ content: JSON.stringify(value), ...extra });
export const textReply = (content: string, extra: Omit<AnswerReply, 'content'> = {}): AnswerReply => ({ content, ...extra });

/** The text of the last user message a request carried (text parts joined). */
export function lastUserText(request: RecordedRequest): string {
  const user = [...request.messages].reverse().find((m) => m.role === 'user');
  if (!user) return '';
  if (typeof user.content === 'string') return user.content;
  return (user.content as { type: string; text?: string }[])
    .filter((part) => part.type === 'text')
    .map((part) => part.text ?? '')
    .join('');
}

const ROUTE = /^(?:\/openai\/deployments\/([^/]+)|\/v1)?\/chat\/completions$/;
const TRANSCRIPTION_ROUTE = /^(?:\/openai\/deployments\/([^/]+)|\/v1)?\/audio\/transcriptions$/;
const EMBEDDINGS_ROUTE = /^(?:\/openai\/deployments\/([^/]+)|\/v1)?\/embeddings$/;

/** A multipart upload, parsed by the platform's own form-data reader (undici), as a server would. */
async function readTranscription(req: IncomingMessage, url: URL, deployment: string | undefined): Promise<RecordedTranscription> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const form = await new Response(Buffer.concat(chunks), { headers: { 'content-type': req.headers['content-type'] ?? '' } }).formData();
  const file = form.get('file');
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === 'string' ? value : undefined;
  };
  return {
    path: url.pathname,
    deployment,
    credential: credentialOf(req),
    model: text('model'),
    fileName: file && typeof file !== 'string' ? file.name : undefined,
    fileType: file && typeof file !== 'string' ? file.type : undefined,
    bytes: file && typeof file !== 'string' ? new Uint8Array(await file.arrayBuffer()) : new Uint8Array(),
    responseFormat: text('response_format'),
  };
}

function words(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? (text ? [text] : []);
}

function estimate(text: string): number {
  return Math.ceil(text.length / 4);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function credentialOf(req: IncomingMessage): string | undefined {
  const credential = req.headers['api-key'] ?? req.headers.authorization;
  return Array.isArray(credential) ? credential[0] : credential;
}

/** A 429 with Retry-After headers, or a 5xx, in OpenAI's error shape. */
function sendFault(res: ServerResponse, reply: Extract<FaultReply, { fault: 429 | 500 }>): void {
  if (reply.fault === 429) {
    const headers: Record<string, string> = { 'retry-after': String(reply.retryAfterSeconds ?? 1) };
    if (reply.retryAfterMs !== undefined) headers['retry-after-ms'] = String(reply.retryAfterMs);
    sendJson(res, 429, { error: { message: 'Rate limit reached (test server).', type: 'requests', code: 'rate_limit_exceeded' } }, headers);
    return;
  }
  sendJson(res, reply.status ?? 500, { error: { message: 'The server had an error (test server).', type: 'server_error', code: null } });
}

function recordEmbedding(req: IncomingMessage, url: URL, deployment: string | undefined, body: Record<string, unknown>): RecordedEmbedding {
  const input = typeof body.input === 'string' ? [body.input] : Array.isArray(body.input) ? body.input.map(String) : [];
  return {
    path: url.pathname,
    deployment,
    apiVersion: url.searchParams.get('api-version'),
    credential: credentialOf(req),
    model: typeof body.model === 'string' ? body.model : undefined,
    input,
    dimensions: typeof body.dimensions === 'number' ? body.dimensions : undefined,
    encodingFormat: typeof body.encoding_format === 'string' ? body.encoding_format : undefined,
    body,
  };
}

function answerEmbedding(res: ServerResponse, request: RecordedEmbedding, reply: EmbeddingReply): void {
  if ('fault' in reply) return sendFault(res, reply);
  const encode = (vector: number[]) => (request.encodingFormat === 'base64' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector);
  const data = reply.vectors.map((vector, index) => ({ object: 'embedding', index, embedding: encode(vector) }));
  if (reply.reversed) data.reverse();
  const prompt = reply.usage?.prompt_tokens ?? request.input.reduce((sum, text) => sum + estimate(text), 0);
  sendJson(res, 200, { object: 'list', data, model: request.deployment ?? request.model ?? 'test-embedding', usage: { prompt_tokens: prompt, total_tokens: prompt } });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startOpenAIServer(options: { responder?: Responder } = {}): Promise<OpenAITestServer> {
  const requests: RecordedRequest[] = [];
  const transcriptions: RecordedTranscription[] = [];
  let transcriber: TranscriptionResponder | undefined;
  const embeddings: RecordedEmbedding[] = [];
  let embedder: EmbeddingResponder | undefined;
  let queue: Reply[] = [];
  let responder = options.responder;
  let waiters: { count: number; resolve: () => void }[] = [];
  let sequence = 0;

  const record = (req: IncomingMessage, url: URL, deployment: string | undefined, body: Record<string, unknown>): RecordedRequest => {
    const recorded: RecordedRequest = {
      path: url.pathname,
      deployment,
      apiVersion: url.searchParams.get('api-version'),
      credential: credentialOf(req),
      model: typeof body.model === 'string' ? body.model : undefined,
      messages: Array.isArray(body.messages) ? (body.messages as RecordedRequest['messages']) : [],
      stream: body.stream === true,
      responseFormat: body.response_format as Record<string, unknown> | undefined,
      body,
    };
    requests.push(recorded);
    waiters = waiters.filter((waiter) => {
      if (requests.length < waiter.count) return true;
      waiter.resolve();
      return false;
    });
    return recorded;
  };

  const answer = async (res: ServerResponse, request: RecordedRequest, reply: AnswerReply): Promise<void> => {
    sequence += 1;
    const id = `chatcmpl-test-${sequence}`;
    const created = Math.floor(Date.now() / 1000);
    const model = request.deployment ?? request.model ?? 'test-model';
    const promptText = request.messages.map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content))).join('\n');
    const usage = reply.usage ?? { prompt_tokens: estimate(promptText), completion_tokens: estimate(reply.content) };
    const totals = { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens };
    const finish = reply.finishReason ?? 'stop';
    if (!request.stream) {
      sendJson(res, 200, {
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [{ index: 0, message: { role: 'assistant', content: reply.content, refusal: null }, finish_reason: finish, logprobs: null }],
        usage: totals,
      });
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const send = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
    const chunk = (delta: Record<string, unknown>, finishReason: string | null) => ({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
    });
    send(chunk({ role: 'assistant', content: '' }, null));
    for (const delta of reply.deltas ?? words(reply.content)) {
      if (reply.deltaDelayMs) await sleep(reply.deltaDelayMs);
      if (res.destroyed) return;
      send(chunk({ content: delta }, null));
    }
    send(chunk({}, finish));
    const streamOptions = request.body.stream_options as { include_usage?: boolean } | undefined;
    if (streamOptions?.include_usage) send({ id, object: 'chat.completion.chunk', created, model, choices: [], usage: totals });
    res.end('data: [DONE]\n\n');
  };

  const fault = async (res: ServerResponse, request: RecordedRequest, reply: FaultReply): Promise<void> => {
    switch (reply.fault) {
      case 429:
      case 500:
        return sendFault(res, reply);
      case 'stall':
        return; // The socket stays open until the client gives up or the server closes.
      case 'broken-stream': {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const model = request.deployment ?? request.model ?? 'test-model';
        for (const delta of reply.deltas ?? ['Half ', 'an ', 'answer ']) {
          res.write(`data: ${JSON.stringify({ id: 'broken', object: 'chat.completion.chunk', created: 0, model, choices: [{ index: 0, delta: { content: delta }, finish_reason: null }] })}\n\n`);
        }
        // Let the deltas reach the client before the connection dies mid-stream.
        await sleep(30);
        res.socket?.destroy();
        return;
      }
    }
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const speech = TRANSCRIPTION_ROUTE.exec(url.pathname);
      if (req.method === 'POST' && speech) {
        const recorded = await readTranscription(req, url, speech[1] ? decodeURIComponent(speech[1]) : undefined);
        transcriptions.push(recorded);
        const reply = transcriber?.(recorded) ?? { text: `heard ${recorded.bytes.byteLength} bytes` };
        if ('fault' in reply) return sendJson(res, 500, { error: { message: 'The server had an error (test server).', type: 'server_error', code: null } });
        if (recorded.responseFormat === 'text') {
          res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
          return void res.end(reply.text);
        }
        return sendJson(res, 200, { text: reply.text });
      }
      const embedding = EMBEDDINGS_ROUTE.exec(url.pathname);
      if (req.method === 'POST' && embedding) {
        const recorded = recordEmbedding(req, url, embedding[1] ? decodeURIComponent(embedding[1]) : undefined, await readJson(req));
        embeddings.push(recorded);
        const reply = embedder?.(recorded) ?? { vectors: recorded.input.map((text) => testEmbedding(text, recorded.dimensions)) };
        return answerEmbedding(res, recorded, reply);
      }
      const match = ROUTE.exec(url.pathname);
      if (req.method !== 'POST' || !match) return sendJson(res, 404, { error: { message: `No route ${req.method} ${url.pathname} (test server).` } });
      const body = await readJson(req);
      const request = record(req, url, match[1] ? decodeURIComponent(match[1]) : undefined, body);
      const reply = queue.shift() ?? (await responder?.(request));
      if (!reply) return sendJson(res, 500, { error: { message: 'No reply was scripted for this call (test server).', type: 'server_error' } });
      if ('fault' in reply) return fault(res, request, reply);
      return answer(res, request, reply);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    openaiBaseURL: `${url}/v1`,
    requests,
    transcriptions,
    transcribeWith: (next) => void (transcriber = next),
    embeddings,
    embedWith: (next) => void (embedder = next),
    enqueue: (...replies) => void queue.push(...replies),
    respondWith: (next) => void (responder = next),
    waitForRequests: (count) =>
      requests.length >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve })),
    reset: () => {
      requests.length = 0;
      transcriptions.length = 0;
      embeddings.length = 0;
      embedder = undefined;
      queue = [];
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Stalled calls and keep-alive sockets would hold close() open.
        server.closeAllConnections();
      }),
  };
}

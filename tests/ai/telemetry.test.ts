/**
 * Telemetry back ends, each against a local HTTP server standing in for its collector: the OTLP
 * trace export and the Langfuse ingestion batch carry one record per model call with its model,
 * usage and outcome, and never the prompt or the answer.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConfigError } from '../../kernel/env.ts';
import { createLanguageModel } from '../../adapters/ai/language-model.ts';
import { createTelemetry } from '../../adapters/telemetry/index.ts';
import { loadTelemetrySettings } from '../../adapters/telemetry/settings.ts';
import { startCollector, type Collector } from '../support/collector.ts';
import { captureLogger } from '../support/platform.ts';

const CALLER_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN_ID = '00f067aa0ba902b7';
const CALLER_TRACEPARENT = `00-${CALLER_TRACE_ID}-${CALLER_SPAN_ID}-01`;
const SECRET_PROMPT = 'please keep my closet secrets';
const SECRET_ANSWER = 'the hidden answer text';
const schema = { name: 'pick', schema: { type: 'object', properties: { pick: { type: 'string' } }, required: ['pick'], additionalProperties: false } };

async function makeCalls(env: Record<string, string>) {
  const { logger } = captureLogger();
  const telemetry = createTelemetry(loadTelemetrySettings(env), logger);
  const model = createLanguageModel({ provider: 'offline' }, telemetry.observers);
  await model.structured({ task: 'wardrobe.pick', userId: 'user-7', requestId: 'req-7', traceparent: CALLER_TRACEPARENT, messages: [{ role: 'user', content: SECRET_PROMPT }], schema, offline: () => ({ pick: SECRET_ANSWER }) });
  await expect(model.structured({ task: 'wardrobe.broken', messages: [{ role: 'user', content: SECRET_PROMPT }], schema, offline: () => ({ wrong: true }) })).rejects.toMatchObject({ reason: 'invalid_output' });
  await telemetry.flush();
}

describe('OpenTelemetry traces', () => {
  let collector: Collector;
  beforeAll(async () => {
    collector = await startCollector(() => ({ status: 200, body: {} }));
  });
  afterAll(() => collector.close());

  it('exports one gen_ai span per model call over OTLP/HTTP, with the service name and headers, and no text', async () => {
    await makeCalls({ OTEL_EXPORTER_OTLP_ENDPOINT: `${collector.url}/otlp/`, OTEL_SERVICE_NAME: 'wardrobe-test', OTEL_EXPORTER_OTLP_HEADERS: 'x-tenant=blue%20team,Authorization=Basic abc' });
    expect(collector.received.length).toBeGreaterThan(0);
    expect(collector.received.every((r) => r.path === '/otlp/v1/traces')).toBe(true);
    expect(collector.received[0]?.headers).toMatchObject({ 'x-tenant': 'blue team', authorization: 'Basic abc', 'content-type': 'application/json' });

    type Attr = { key: string; value: { stringValue?: string; intValue?: number | string } };
    type Span = { name: string; kind: number; traceId: string; spanId: string; parentSpanId?: string; attributes: Attr[]; status: { code?: number } };
    type Export = { resourceSpans: { resource: { attributes: Attr[] }; scopeSpans: { spans: Span[] }[] }[] };
    const exports = collector.received.map((r) => JSON.parse(r.body) as Export);
    const resources = exports.flatMap((e) => e.resourceSpans);
    expect(resources[0]?.resource.attributes).toContainEqual({ key: 'service.name', value: { stringValue: 'wardrobe-test' } });
    const spans = resources.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
    expect(spans).toHaveLength(2);
    const attrs = (span: (typeof spans)[number]) => Object.fromEntries(span.attributes.map((a) => [a.key, a.value.stringValue ?? Number(a.value.intValue)]));
    const ok = spans.find((s) => attrs(s)['portico.ai.task'] === 'wardrobe.pick');
    const failed = spans.find((s) => attrs(s)['portico.ai.task'] === 'wardrobe.broken');
    expect(ok?.name).toBe('chat offline');
    expect(ok?.kind).toBe(3); // SPAN_KIND_CLIENT
    expect(attrs(ok!)).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'portico.offline',
      'gen_ai.request.model': 'offline',
      'gen_ai.response.model': 'offline',
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': expect.any(Number),
      'portico.ai.outcome': 'ok',
      'portico.request_id': 'req-7',
    });
    expect(attrs(failed!)).toMatchObject({ 'error.type': 'invalid_output', 'portico.ai.outcome': 'invalid_output' });
    expect(failed?.status.code).toBe(2); // STATUS_CODE_ERROR
    // The call made with the caller's traceparent joins the caller's trace under its span; one without starts its own.
    expect(ok).toMatchObject({ traceId: CALLER_TRACE_ID, parentSpanId: CALLER_SPAN_ID });
    expect(ok?.spanId).not.toBe(CALLER_SPAN_ID);
    expect(failed?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(failed?.traceId).not.toBe(CALLER_TRACE_ID);
    expect(failed?.parentSpanId ?? '').toBe('');
    const all = collector.received.map((r) => r.body).join('\n');
    for (const secret of [SECRET_PROMPT, SECRET_ANSWER, 'user-7']) expect(all).not.toContain(secret);
  });

  it('is off without an endpoint or with OTEL_TRACES_EXPORTER=none, prefers the traces endpoint, and refuses what it cannot send', () => {
    expect(loadTelemetrySettings({}).tracing).toBeUndefined();
    expect(loadTelemetrySettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_EXPORTER: 'none' }).tracing).toBeUndefined();
    expect(loadTelemetrySettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://t:4318/custom' }).tracing).toEqual({
      url: 'http://t:4318/custom',
      headers: {},
      serviceName: 'portico',
    });
    expect(createTelemetry(loadTelemetrySettings({}), captureLogger().logger).observers).toEqual([]);
    for (const [env, variable] of [
      [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, 'OTEL_EXPORTER_OTLP_PROTOCOL'],
      // The signal's own variable is the one named, not the general one it overrides.
      [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc' }, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'],
      [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_EXPORTER: 'zipkin' }, 'OTEL_TRACES_EXPORTER'],
      [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'c:4318' }, 'OTEL_EXPORTER_OTLP_ENDPOINT'],
      [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_HEADERS: 'novalue' }, 'OTEL_EXPORTER_OTLP_HEADERS'],
      [{ LANGFUSE_PUBLIC_KEY: 'pk' }, 'LANGFUSE_SECRET_KEY'],
      [{ LANGFUSE_SECRET_KEY: 'sk' }, 'LANGFUSE_PUBLIC_KEY'],
    ] as const) {
      expect(() => loadTelemetrySettings(env)).toThrow(ConfigError);
      expect(() => loadTelemetrySettings(env)).toThrow(variable);
    }
  });
});

describe('Langfuse', () => {
  let collector: Collector;
  beforeAll(async () => {
    collector = await startCollector(() => ({ status: 207, body: { successes: [], errors: [] } }));
  });
  afterAll(() => collector.close());

  it('sends a generation per model call named by the task, with model, usage and outcome, and no text', async () => {
    await makeCalls({ LANGFUSE_PUBLIC_KEY: 'pk-lf-test', LANGFUSE_SECRET_KEY: 'sk-lf-test', LANGFUSE_BASE_URL: collector.url });
    expect(collector.received.length).toBeGreaterThan(0);
    expect(collector.received.every((r) => r.path === '/api/public/ingestion')).toBe(true);
    expect(collector.received[0]?.headers.authorization).toBe(`Basic ${Buffer.from('pk-lf-test:sk-lf-test').toString('base64')}`);

    type Event = { type: string; body: Record<string, unknown> };
    const events = collector.received.flatMap((r) => (JSON.parse(r.body) as { batch: Event[] }).batch);
    const generations = events.filter((e) => e.type === 'generation-create').map((e) => e.body);
    expect(generations).toHaveLength(2);
    const ok = generations.find((g) => g.name === 'wardrobe.pick');
    expect(ok).toMatchObject({ model: 'offline', usageDetails: { input: 12, output: expect.any(Number) }, level: 'DEFAULT', metadata: { provider: 'offline', outcome: 'ok', requestId: 'req-7' } });
    expect(ok?.input).toBeUndefined();
    expect(ok?.output).toBeUndefined();
    expect(generations.find((g) => g.name === 'wardrobe.broken')).toMatchObject({ level: 'ERROR', statusMessage: 'invalid_output' });
    const traces = events.filter((e) => e.type === 'trace-create').map((e) => e.body);
    expect(traces.find((t) => t.name === 'wardrobe.pick')?.userId).toMatch(/^[0-9a-f]{32}$/);
    const all = collector.received.map((r) => r.body).join('\n');
    for (const secret of [SECRET_PROMPT, SECRET_ANSWER, 'user-7']) expect(all).not.toContain(secret);
  });

  it('reads LANGFUSE_HOST when LANGFUSE_BASE_URL is unset', () => {
    expect(loadTelemetrySettings({ LANGFUSE_PUBLIC_KEY: 'pk', LANGFUSE_SECRET_KEY: 'sk', LANGFUSE_HOST: 'https://lf.example' }).langfuse).toEqual({ publicKey: 'pk', secretKey: 'sk', baseUrl: 'https://lf.example' });
    expect(loadTelemetrySettings({}).langfuse).toBeUndefined();
  });
});

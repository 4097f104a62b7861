/**
 * OpenTelemetry traces over OTLP/HTTP: one CLIENT span per model call, named and attributed by
 * the GenAI semantic conventions (operation, provider, request and response model, token usage,
 * error type). The provider is private to Portico (not registered globally), so it cannot clash
 * with a platform's own instrumentation. Imported only when tracing is configured.
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { ModelCallReport, ModelObserver } from '../ai/observed-model.ts';
import type { TracingSettings } from './settings.ts';

/** The GenAI conventions' provider names. */
const GEN_AI_PROVIDER: Record<ModelCallReport['provider'], string> = {
  'azure-openai': 'azure.ai.openai',
  openai: 'openai',
  offline: 'portico.offline',
};

export interface Tracing {
  observer: ModelObserver;
  /** Sends buffered spans now (before a serverless instance freezes, and in tests). */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

export function spanAttributes(call: ModelCallReport): Record<string, string | number> {
  return {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': GEN_AI_PROVIDER[call.provider],
    'gen_ai.request.model': call.model,
    ...(call.outcome === 'ok' ? { 'gen_ai.response.model': call.model } : { 'error.type': call.outcome }),
    ...(call.usage ? { 'gen_ai.usage.input_tokens': call.usage.inputTokens, 'gen_ai.usage.output_tokens': call.usage.outputTokens } : {}),
    'portico.ai.task': call.task,
    'portico.ai.kind': call.kind,
    'portico.ai.outcome': call.outcome,
    ...(call.requestId ? { 'portico.request_id': call.requestId } : {}),
    ...(call.deltas === undefined ? {} : { 'portico.ai.stream_deltas': call.deltas }),
  };
}

/** The caller's span as the parent context (already validated by the telemetry middleware), or a new root. */
export function parentOf(traceparent: string | undefined): Context {
  const [, traceId, spanId, flags] = traceparent?.split('-') ?? [];
  if (!traceId || !spanId || !flags) return ROOT_CONTEXT;
  return trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags: Number.parseInt(flags, 16) & 1, isRemote: true });
}

export function startTracing(settings: TracingSettings): Tracing {
  const exporter = new OTLPTraceExporter({ url: settings.url, headers: settings.headers });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': settings.serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('portico.ai');
  return {
    observer: {
      report(call) {
        // Parented on the caller's span, so the model call shows inside the frontend's trace; the
        // caller's sampled flag is honoured (ParentBased sampling), as W3C Trace Context intends.
        const span = tracer.startSpan(`chat ${call.model}`, { kind: SpanKind.CLIENT, startTime: call.startedAt, attributes: spanAttributes(call) }, parentOf(call.traceparent));
        if (call.outcome !== 'ok') span.setStatus({ code: SpanStatusCode.ERROR, message: call.outcome });
        span.end(new Date(call.startedAt.getTime() + call.latencyMs));
      },
    },
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}

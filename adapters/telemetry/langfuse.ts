/**
 * Langfuse: one trace and one generation per model call, named by the task, with the model,
 * token usage, timing and outcome. No prompt or answer text is sent: prompts hold users' chat
 * messages, memory facts and photos, and Langfuse is a third party; the metadata is enough to
 * watch cost, latency and failures per task. The user is a one-way hash. Imported only when
 * the keys are set.
 */
import { Langfuse } from 'langfuse';
import type { ModelCallReport, ModelObserver } from '../ai/observed-model.ts';
import type { LangfuseSettings } from './settings.ts';

export interface LangfuseTracing {
  observer: ModelObserver;
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

export function generationOf(call: ModelCallReport) {
  const endTime = new Date(call.startedAt.getTime() + call.latencyMs);
  return {
    name: call.task,
    model: call.model,
    startTime: call.startedAt,
    endTime,
    ...(call.usage ? { usageDetails: { input: call.usage.inputTokens, output: call.usage.outputTokens } } : {}),
    level: call.outcome === 'ok' ? ('DEFAULT' as const) : ('ERROR' as const),
    ...(call.outcome === 'ok' ? {} : { statusMessage: call.outcome }),
    metadata: { provider: call.provider, kind: call.kind, outcome: call.outcome, latencyMs: call.latencyMs, ...(call.requestId ? { requestId: call.requestId } : {}) },
  };
}

export function startLangfuse(settings: LangfuseSettings, onError: (message: string) => void): LangfuseTracing {
  const langfuse = new Langfuse({
    publicKey: settings.publicKey,
    secretKey: settings.secretKey,
    baseUrl: settings.baseUrl,
    // Small batches sent within a second: a serverless instance may freeze soon after a call.
    flushAt: 10,
    flushInterval: 1_000,
    requestTimeout: 5_000,
  });
  langfuse.on('error', () => onError('Langfuse ingestion failed'));
  return {
    observer: {
      report(call) {
        const trace = langfuse.trace({ name: call.task, ...(call.userHash ? { userId: call.userHash } : {}), timestamp: call.startedAt });
        trace.generation(generationOf(call));
      },
    },
    flush: () => langfuse.flushAsync(),
    shutdown: () => langfuse.shutdownAsync(),
  };
}

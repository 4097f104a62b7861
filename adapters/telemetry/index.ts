/**
 * The telemetry back ends for model calls, from the settings. Each configured back end is an
 * observer whose SDK is imported on the first model call; with nothing configured this module
 * loads nothing and returns no observers.
 */
import type { Logger } from '../../middleware/logger.ts';
import type { ModelObserver } from '../ai/observed-model.ts';
import type { TelemetrySettings } from './settings.ts';

interface BackEnd {
  observer: ModelObserver;
  flush(): Promise<void>;
}

export interface Telemetry {
  observers: ModelObserver[];
  /** Sends whatever the loaded back ends still buffer. */
  flush(): Promise<void>;
}

function lazyBackEnd(name: string, load: () => Promise<BackEnd>, logger: Logger): { observer: ModelObserver; flush(): Promise<void> } {
  let loading: Promise<BackEnd | undefined> | undefined;
  const backEnd = () =>
    (loading ??= load().catch(() => {
      // A back end that cannot start must not fail model calls: say so once and carry on.
      logger.warn({ backEnd: name }, 'telemetry back end failed to start');
      return undefined;
    }));
  return {
    observer: { report: (call) => void backEnd().then((loaded) => loaded?.observer.report(call)) },
    flush: async () => {
      if (loading) await (await loading)?.flush();
    },
  };
}

export function createTelemetry(settings: TelemetrySettings, logger: Logger): Telemetry {
  const backEnds: ReturnType<typeof lazyBackEnd>[] = [];
  const { tracing, langfuse } = settings;
  if (tracing) {
    backEnds.push(lazyBackEnd('opentelemetry', async () => (await import('./tracing.ts')).startTracing(tracing), logger));
  }
  if (langfuse) {
    const warn = (message: string) => logger.warn({ backEnd: 'langfuse' }, message);
    backEnds.push(lazyBackEnd('langfuse', async () => (await import('./langfuse.ts')).startLangfuse(langfuse, warn), logger));
  }
  return {
    observers: backEnds.map((backEnd) => backEnd.observer),
    flush: async () => {
      await Promise.all(backEnds.map((backEnd) => backEnd.flush()));
    },
  };
}

/** The parts of host.json the adapters must agree with: the function timeout and route prefix. */
import { readProjectJson } from '../../app/project.ts';

/** Azure's front-end load balancer drops an HTTP request after 230 s, whatever functionTimeout says. */
export const HTTP_LOAD_BALANCER_LIMIT_MS = 230_000;

interface HostJson {
  functionTimeout?: string;
  extensions?: {
    http?: { routePrefix?: string };
    queues?: { maxDequeueCount?: number; batchSize?: number; visibilityTimeout?: string; maxPollingInterval?: string };
  };
}

/** Parses a host.json TimeSpan (`hh:mm:ss`, optionally `d.hh:mm:ss`) to milliseconds. */
export function timeSpanToMs(span: string): number {
  const match = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d+))?$/.exec(span.trim());
  if (!match) throw new Error(`host.json: "${span}" is not a TimeSpan like 00:05:00`);
  const [, days = '0', hours, minutes, seconds] = match;
  return (((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000;
}

export interface HostSettings {
  functionTimeoutMs: number;
  httpTimeoutMs: number;
  routePrefix: string;
  queues: { maxDequeueCount: number; batchSize: number; visibilityTimeoutMs: number; maxPollingIntervalMs: number };
}

export function hostSettings(host: HostJson = readProjectJson<HostJson>('host.json')): HostSettings {
  const functionTimeoutMs = timeSpanToMs(host.functionTimeout ?? '00:05:00');
  const queues = host.extensions?.queues ?? {};
  return {
    functionTimeoutMs,
    httpTimeoutMs: Math.min(functionTimeoutMs, HTTP_LOAD_BALANCER_LIMIT_MS),
    routePrefix: host.extensions?.http?.routePrefix ?? 'api',
    queues: {
      maxDequeueCount: queues.maxDequeueCount ?? 5,
      batchSize: queues.batchSize ?? 16,
      visibilityTimeoutMs: timeSpanToMs(queues.visibilityTimeout ?? '00:00:00'),
      maxPollingIntervalMs: timeSpanToMs(queues.maxPollingInterval ?? '00:01:00'),
    },
  };
}

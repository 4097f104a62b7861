/**
 * W3C Trace Context, carried by hand: the telemetry middleware keeps a caller's valid
 * `traceparent` on the context, and code hands it on to the model calls and jobs it starts, so
 * their spans and log lines join the caller's trace. No global context: what is passed is visible.
 */
import type { PorticoContext } from './context.ts';

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;

/** The caller's `traceparent`, if valid by W3C Trace Context (lowercase hex; version ff and all-zero ids are invalid). */
export function traceparentOf(headers: Record<string, string | undefined>): string | undefined {
  const value = headers.traceparent?.trim() ?? '';
  const match = TRACEPARENT.exec(value);
  if (!match || match[1] === 'ff' || /^0+$/.test(match[2]!) || /^0+$/.test(match[3]!)) return undefined;
  return value;
}

/** The trace id of a traceparent: what log lines carry as their correlation id. */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  return traceparent?.split('-')[1];
}

/** The caller's trace, to hand on to a model call or a job it starts (nothing when there is none). */
export function traceOf(context: { traceparent?: string | undefined }): { traceparent?: string } {
  return context.traceparent ? { traceparent: context.traceparent } : {};
}

/** What a model call needs to be joined to this invocation: its log line by request id, its span by trace. */
export function callTrace(context: PorticoContext): { requestId: string; traceparent?: string } {
  return { requestId: context.requestId, ...traceOf(context) };
}

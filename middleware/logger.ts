/**
 * The one pino logger. Every object and message passes through `redact`, so a credential
 * never reaches a log line wherever it hides; errors are logged without their stacks.
 */
import { types } from 'node:util';
import { pino, type Logger } from 'pino';
import { redact, redactString } from './redact.ts';

export type { Logger };

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface LoggerOptions {
  level: LogLevel;
  pretty: boolean;
  destination?: pino.DestinationStream;
}

export function createLogger({ level, pretty, destination }: LoggerOptions): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'portico' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { log: (object) => redact(object) as Record<string, unknown> },
    // Messages are strings too: scrub them, and never let pino serialize an error's stack.
    hooks: {
      logMethod(args, method) {
        // pino copies a bare error's message into `msg` itself, past the formatter: wrap it first.
        const [first, ...rest] = args as unknown[];
        if (types.isNativeError(first)) args = [{ err: first }, typeof rest[0] === 'string' ? rest[0] : first.message, ...rest.slice(1)] as typeof args;
        const cleaned = args.map((arg) => (typeof arg === 'string' ? redactString(arg) : arg));
        return method.apply(this, cleaned as Parameters<typeof method>);
      },
    },
    // formatters.log runs before serializers and has already reduced errors to { name, message }.
    serializers: { err: (error: unknown) => error },
  };
  if (destination) return pino(options, destination);
  if (pretty) return pino({ ...options, transport: { target: 'pino-pretty', options: { colorize: true, singleLine: true } } });
  return pino(options);
}

/**
 * The one pino logger. Every object and message passes through `redact`, so a credential
 * never reaches a log line wherever it hides; errors are logged without their stacks.
 */
import { pino, type Logger } from 'pino';
import { redact, redactString } from './redact.ts';
import type { LogLevel } from '../app/config.ts';

export type { Logger };

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
        const cleaned = args.map((arg) => (typeof arg === 'string' ? redactString(arg) : arg));
        return method.apply(this, cleaned as Parameters<typeof method>);
      },
    },
    serializers: { err: (error: unknown) => redact(error instanceof Error ? error : { message: String(error) }) },
  };
  if (destination) return pino(options, destination);
  if (pretty) return pino({ ...options, transport: { target: 'pino-pretty', options: { colorize: true, singleLine: true } } });
  return pino(options);
}

/**
 * What the plugins that call the language model (ai-embedding, ai-classify) share: the text
 * field's schema, the per-deployment caps on texts, and running a model call on the plugin's
 * deadline. A model failure leaves as the port's ModelError (an AppError: 502/503/504 with a
 * stable code), except a call the deadline cut short, which is the caller's too-heavy input.
 */
import { ModelError, type ModelUsage } from '../../domain/ai.ts';
import { numberOption } from '../../domain/capabilities/config.ts';
import { invalidInput, processingTimeout } from '../../domain/capabilities/errors.ts';
import type { Deadline, PluginConfig } from '../../domain/capabilities/plugin.ts';

/** The schema's ceiling on one text; plugins.yaml's `max_text_chars` may only lower it. */
export const TEXT_CEILING = 32_768;
export const DEFAULT_MAX_TEXT_CHARS = 8_000;

/** A non-blank text of at most TEXT_CEILING characters. */
export const textSchema = (description: string) =>
  ({ type: 'string', minLength: 1, maxLength: TEXT_CEILING, pattern: '\\S', description }) as const;

/** Refuses (400) a text past the deployment's `max_text_chars`, naming it by its JSON pointer. */
export function checkTextLengths(config: PluginConfig, texts: readonly { pointer: string; text: string }[]): void {
  const max = numberOption(config, 'max_text_chars', DEFAULT_MAX_TEXT_CHARS);
  const long = texts.filter(({ text }) => text.length > max);
  if (long.length === 0) return;
  throw invalidInput(
    `${long.length === 1 ? 'A text is' : `${long.length} texts are`} longer than ${max} characters.`,
    long.map(({ pointer, text }) => ({ pointer, detail: `${text.length} characters; at most ${max}` })),
  );
}

/**
 * Runs a model call with the deadline's signal. The port reports an aborted call as 499 (the
 * client went away); when it was our own deadline that ended it, the answer is 422 processing_timeout.
 */
export async function onDeadline<T>(deadline: Deadline, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const budget = deadline.remainingMs();
  try {
    return await call(deadline.signal);
  } catch (error) {
    if (error instanceof ModelError && error.reason === 'aborted' && deadline.remainingMs() === 0) throw processingTimeout(budget);
    throw error;
  }
}

/** Token counts as the response's `usage` names them. */
export const usageData = (usage: ModelUsage) => ({ input_tokens: usage.inputTokens, output_tokens: usage.outputTokens });

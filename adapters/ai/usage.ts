/**
 * Token estimates for the offline provider (and for a stream that ended before the provider
 * reported usage): about four characters a token for English text, the usual rule of thumb,
 * and a flat cost per image like a low-detail vision input.
 */
import type { ChatMessage, ModelUsage } from '../../domain/ai.ts';

const CHARS_PER_TOKEN = 4;
const TOKENS_PER_IMAGE = 85;
/** Role and separators a chat format adds around each message. */
const TOKENS_PER_MESSAGE = 4;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

export function estimateInputTokens(messages: readonly ChatMessage[]): number {
  return messages.reduce(
    (sum, message) => sum + TOKENS_PER_MESSAGE + estimateTokens(message.content) + (message.images?.length ?? 0) * TOKENS_PER_IMAGE,
    0,
  );
}

export function estimateUsage(messages: readonly ChatMessage[], output: string): ModelUsage {
  return { inputTokens: estimateInputTokens(messages), outputTokens: estimateTokens(output) };
}

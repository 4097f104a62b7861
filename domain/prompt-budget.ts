/**
 * Token budgets for chat prompts, shared by every conversation that sends its history to a model
 * (the wardrobe chat, the garage diagnosis): a pessimistic estimate, and the rule that fits the
 * newest turns of a history into what the required messages leave. Pure.
 */
import type { ChatMessage } from './ai.ts';

/** What every message costs on top of its text (role and separators), in the model's accounting. */
export const MESSAGE_OVERHEAD_TOKENS = 4;

/**
 * A cheap, deliberately pessimistic token estimate: about four ASCII characters per token (the
 * usual ratio for English with BPE tokenisers), and one token for every other code point (CJK,
 * emoji and accented text tokenise far worse than English). Over-estimating only drops a turn
 * early; under-estimating would overflow the model's context.
 */
export function estimateTokens(text: string): number {
  let ascii = 0;
  let other = 0;
  for (const char of text) {
    if (char.charCodeAt(0) < 0x80) ascii++;
    else other++;
  }
  return Math.ceil(ascii / 4) + other;
}

export const messageTokens = (message: Pick<ChatMessage, 'content'>): number => estimateTokens(message.content) + MESSAGE_OVERHEAD_TOKENS;

export const promptTokens = (messages: readonly ChatMessage[]): number => messages.reduce((sum, message) => sum + messageTokens(message), 0);

export interface Turn {
  role: 'user' | 'assistant';
  content: string;
}

export interface FittedHistory {
  /** The newest turns that fit, oldest first. */
  kept: ChatMessage[];
  /** The estimated cost of the required messages and the kept turns. */
  tokens: number;
  /** How many of the oldest turns did not fit. */
  droppedTurns: number;
}

/**
 * The history turns that fit beside the required messages (which always go in; a budget too
 * small for them is a RangeError, a configuration mistake), added newest first while they fit.
 */
export function fitHistory(required: readonly ChatMessage[], history: readonly Turn[], budget: number): FittedHistory {
  const needed = promptTokens(required);
  if (needed > budget) throw new RangeError(`The prompt budget (${budget} tokens) cannot hold the required ${needed}.`);
  let tokens = needed;
  const kept: ChatMessage[] = [];
  let index = history.length - 1;
  for (; index >= 0; index--) {
    const turn = history[index]!;
    const cost = messageTokens(turn);
    // Stop at the first turn that does not fit: skipping it for an older one would leave a gap in the dialogue.
    if (tokens + cost > budget) break;
    tokens += cost;
    kept.unshift({ role: turn.role, content: turn.content });
  }
  return { kept, tokens, droppedTurns: index + 1 };
}

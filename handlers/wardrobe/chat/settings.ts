/** The chat's settings, read from `env` at bind time (deps.settings.chat) and checked like the app's own. */
import { ConfigError, integer, type Env } from '../../../kernel/env.ts';
import { MEMORY_SUMMARY_MAX_CHARS } from '../../../domain/wardrobe/memory.ts';
import { minimumPromptBudget } from '../../../domain/wardrobe/prompt.ts';
import { MESSAGE_CHARS_CEILING } from './schemas.ts';

export interface ChatSettings {
  /** Longest chat message, in characters. */
  maxMessageChars: number;
  /** The model's output cap per answer. */
  maxOutputTokens: number;
  /** The most (estimated) input tokens a prompt may cost; must hold the worst-case required parts. */
  promptTokenBudget: number;
  /** How many stored turns are read (when the client sends no history) before the budget trims them. */
  historyTurns: number;
  /** How many items (most worn first) the wardrobe summary lists. */
  summaryMaxItems: number;
  /** Concurrent chat streams per user. */
  maxStreamsPerUser: number;
  /** A stream is cut after this long (under Azure's 230 s). */
  streamMaxSeconds: number;
  /** Silence after which an empty `token` frame keeps proxies from closing the stream. */
  heartbeatSeconds: number;
}

export function loadChatSettings(env: Env): ChatSettings {
  const settings: ChatSettings = {
    maxMessageChars: integer(env, 'CHAT_MAX_MESSAGE_CHARS', 4000, 100, MESSAGE_CHARS_CEILING),
    maxOutputTokens: integer(env, 'CHAT_MAX_OUTPUT_TOKENS', 800, 16, 16_000),
    promptTokenBudget: integer(env, 'CHAT_PROMPT_TOKEN_BUDGET', 24_000, 1000, 1_000_000),
    historyTurns: integer(env, 'CHAT_HISTORY_TURNS', 20, 0, 200),
    summaryMaxItems: integer(env, 'CHAT_SUMMARY_MAX_ITEMS', 30, 1, 200),
    maxStreamsPerUser: integer(env, 'CHAT_MAX_STREAMS_PER_USER', 2, 1, 20),
    streamMaxSeconds: integer(env, 'CHAT_STREAM_MAX_SECONDS', 120, 5, 220),
    heartbeatSeconds: integer(env, 'CHAT_HEARTBEAT_SECONDS', 15, 1, 60),
  };
  // Checked now so that no request can ever meet a prompt whose required parts do not fit.
  const minimum = minimumPromptBudget({ memoryMaxChars: MEMORY_SUMMARY_MAX_CHARS, summaryMaxItems: settings.summaryMaxItems, maxMessageChars: settings.maxMessageChars });
  if (settings.promptTokenBudget < minimum) {
    throw new ConfigError('CHAT_PROMPT_TOKEN_BUDGET', `must be at least ${minimum} for the memory summary, wardrobe summary and message limits set, got ${settings.promptTokenBudget}`);
  }
  return Object.freeze(settings);
}

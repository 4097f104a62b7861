/** The chat settings: defaults, and a budget too small for the limits stops start-up naming the variable. */
import { describe, expect, it } from '@jest/globals';
import { loadChatSettings } from '../../../handlers/wardrobe/chat/settings.ts';

describe('loadChatSettings', () => {
  it('has working defaults', () => {
    expect(loadChatSettings({})).toEqual({
      maxMessageChars: 4000, maxOutputTokens: 800, promptTokenBudget: 24_000, historyTurns: 20, summaryMaxItems: 30,
      maxStreamsPerUser: 2, streamMaxSeconds: 120, heartbeatSeconds: 15,
    });
  });

  it('refuses a prompt budget that the memory summary, wardrobe summary and message limits could overflow', () => {
    expect(() => loadChatSettings({ CHAT_PROMPT_TOKEN_BUDGET: '5000' })).toThrow(/CHAT_PROMPT_TOKEN_BUDGET must be at least \d+/);
    expect(() => loadChatSettings({ CHAT_PROMPT_TOKEN_BUDGET: '8000', CHAT_SUMMARY_MAX_ITEMS: '10', CHAT_MAX_MESSAGE_CHARS: '1000' })).not.toThrow();
  });

  it('keeps the stream under Azure\'s 230 s and names a bad value', () => {
    expect(() => loadChatSettings({ CHAT_STREAM_MAX_SECONDS: '230' })).toThrow('Invalid configuration: CHAT_STREAM_MAX_SECONDS must be between 5 and 220, got 230');
    expect(() => loadChatSettings({ CHAT_MAX_STREAMS_PER_USER: 'two' })).toThrow(/CHAT_MAX_STREAMS_PER_USER must be a whole number/);
  });
});

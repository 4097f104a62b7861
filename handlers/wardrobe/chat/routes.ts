/** The chat routes wired to the real dependencies (the factory is in handlers.ts, for tests). */
import { getDocumentStore, getHttpPlatform, getLanguageModel, randomIds, systemClock } from '../../../app/composition.ts';
import { createHandlers } from './handlers.ts';
import { loadChatSettings } from './settings.ts';

export { createHandlers };

const handlers = createHandlers({
  platform: getHttpPlatform(),
  documents: getDocumentStore(),
  model: getLanguageModel(),
  clock: systemClock,
  ids: randomIds,
  settings: loadChatSettings(),
});
export const { chat, listConversations, getConversation, listMemory, addMemory, deleteMemory } = handlers;

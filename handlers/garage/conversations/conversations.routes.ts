/** The garage's conversation routes (see functions.ts): thin shells over the conversations service. */
import { json, type PorticoHttpHandler } from '../../../middleware/http-stack.ts';
import { ownerOf, pageRequestOf, pathId } from '../../../middleware/resources.ts';
import { createConversationsService, type ConversationsDeps } from './service.ts';

/** GET /api/conversations[?vehicle_id=]: the caller's conversations, newest first. */
export const listConversations = (deps: ConversationsDeps): PorticoHttpHandler => {
  const service = createConversationsService(deps);
  return async (event, context) => {
    const vehicleId = event.queryStringParameters?.vehicle_id;
    return json(200, await service.list(ownerOf(context), pageRequestOf(event), vehicleId));
  };
};

/** GET /api/conversation/{id}: the conversation with a page of its messages, oldest first. */
export const getConversation = (deps: ConversationsDeps): PorticoHttpHandler => {
  const service = createConversationsService(deps);
  return async (event, context) => json(200, await service.get(ownerOf(context), pathId(event), pageRequestOf(event, 50)));
};

/** DELETE /api/conversation/{id}: 204, with its messages. */
export const deleteConversation = (deps: ConversationsDeps): PorticoHttpHandler => {
  const service = createConversationsService(deps);
  return async (event, context) => {
    await service.remove(ownerOf(context), pathId(event));
    return { statusCode: 204, headers: {}, body: '' };
  };
};

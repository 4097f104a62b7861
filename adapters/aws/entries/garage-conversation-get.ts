// Generated from the function table by `npm run generate`. Do not edit by hand.
// chunks: chunks-garage
import { getConversation as factory } from '../../../handlers/garage/conversations/conversations.routes.ts';
import service from '../../../handlers/garage/index.ts';
import { lambdaEntry } from '../lambda-entry.ts';

export const handler = lambdaEntry("garage-conversation-get", factory, [service]);

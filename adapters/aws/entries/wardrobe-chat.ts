// Generated from the function table by `npm run generate`. Do not edit by hand.
// chunks: chunks-wardrobe
import { chat as factory } from '../../../handlers/wardrobe/chat/chat.routes.ts';
import service from '../../../handlers/wardrobe/index.ts';
import { lambdaEntry } from '../lambda-entry.ts';
import { streamingLambda } from '../lambda-stream.ts';

export const handler = streamingLambda(lambdaEntry("wardrobe-chat", factory, [service]), {"name":"wardrobe-chat","method":"POST","route":"chat"});

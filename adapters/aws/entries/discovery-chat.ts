// Generated from the function table by `npm run generate`. Do not edit by hand.
// chunks: chunks-discovery
import { chat as factory } from '../../../handlers/discovery/search.routes.ts';
import service from '../../../handlers/discovery/index.ts';
import { lambdaEntry } from '../lambda-entry.ts';
import { streamingLambda } from '../lambda-stream.ts';

export const handler = streamingLambda(lambdaEntry("discovery-chat", factory, [service]), {"name":"discovery-chat","method":"GET","route":"underfoot/chat"});

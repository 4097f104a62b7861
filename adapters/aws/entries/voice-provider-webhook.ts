// Generated from the function table by `npm run generate`. Do not edit by hand.
// chunks: chunks-voice
import { providerCallback as factory } from '../../../handlers/voice/provider-webhooks.routes.ts';
import service from '../../../handlers/voice/index.ts';
import { lambdaEntry } from '../lambda-entry.ts';

export const handler = lambdaEntry("voice-provider-webhook", factory, [service]);

// Generated from the function table by `npm run generate`. Do not edit by hand.
// chunks: chunks-voice
import { voiceCleanup as factory } from '../../../handlers/voice/cleanup.timer.ts';
import service from '../../../handlers/voice/index.ts';
import { lambdaEntry } from '../lambda-entry.ts';

export const handler = lambdaEntry("voice-cleanup", factory, [service]);

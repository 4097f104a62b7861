// Generated from the function table by `npm run generate`. Do not edit by hand.
// chunks: chunks-voice
import { processUpload as factory } from '../../../handlers/voice/process.blob.ts';
import service from '../../../handlers/voice/index.ts';
import { lambdaEntry } from '../lambda-entry.ts';

export const handler = lambdaEntry("voice-process-upload", factory, [service]);

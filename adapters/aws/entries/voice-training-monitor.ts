// Generated from the function table by `npm run generate`. Do not edit by hand.
// chunks: chunks-voice
import { trainingMonitor as factory } from '../../../handlers/voice/monitor.timer.ts';
import service from '../../../handlers/voice/index.ts';
import { lambdaEntry } from '../lambda-entry.ts';

export const handler = lambdaEntry("voice-training-monitor", factory, [service]);

// Generated from the function table by `npm run generate`. Do not edit by hand.
// chunks: chunks-garage
import { diagnoseV2 as factory } from '../../../handlers/garage/diagnose/diagnose.routes.ts';
import service from '../../../handlers/garage/index.ts';
import { lambdaEntry } from '../lambda-entry.ts';
import { streamingLambda } from '../lambda-stream.ts';

export const handler = streamingLambda(lambdaEntry("garage-diagnose-v2", factory, [service]), {"name":"garage-diagnose-v2","method":"POST","route":"diagnose2"});

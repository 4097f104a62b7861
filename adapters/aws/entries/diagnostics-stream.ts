// Generated from the function table by `npm run generate`. Do not edit by hand.
// chunks: chunks-diagnostics
import { stream as factory } from '../../../handlers/diagnostics/diagnostics.routes.ts';
import service from '../../../handlers/diagnostics/index.ts';
import { lambdaEntry } from '../lambda-entry.ts';
import { streamingLambda } from '../lambda-stream.ts';

export const handler = streamingLambda(lambdaEntry("diagnostics-stream", factory, [service]), {"name":"diagnostics-stream","method":"GET","route":"diagnostics/stream"});

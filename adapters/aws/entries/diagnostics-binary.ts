// Generated from the function table by `npm run generate`. Do not edit by hand.
// chunks: chunks-diagnostics
import { binary as factory } from '../../../handlers/diagnostics/diagnostics.routes.ts';
import service from '../../../handlers/diagnostics/index.ts';
import { lambdaEntry } from '../lambda-entry.ts';

export const handler = lambdaEntry("diagnostics-binary", factory, [service]);

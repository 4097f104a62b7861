// Generated from the function table by `npm run generate`. Do not edit by hand.
// chunks: chunks-capabilities
import { submit as factory } from '../../../handlers/capabilities/jobs.routes.ts';
import service from '../../../handlers/capabilities/index.ts';
import { lambdaEntry } from '../lambda-entry.ts';

export const handler = lambdaEntry("capabilities-submit-job", factory, [service]);

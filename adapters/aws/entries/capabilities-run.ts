// Generated from the function table by `npm run generate`. Do not edit by hand.
// chunks: chunks-capabilities
import { run as factory } from '../../../handlers/capabilities/plugins.routes.ts';
import service from '../../../handlers/capabilities/index.ts';
import { lambdaEntry } from '../lambda-entry.ts';

export const handler = lambdaEntry("capabilities-run", factory, [service]);

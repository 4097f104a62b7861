// Generated from the function table by `npm run generate`. Do not edit by hand.
// chunks: chunks-discovery
import { health as factory } from '../../../handlers/discovery/health.routes.ts';
import service from '../../../handlers/discovery/index.ts';
import { lambdaEntry } from '../lambda-entry.ts';

export const handler = lambdaEntry("discovery-health", factory, [service]);

// Generated from the function table by `npm run generate`. Do not edit by hand.
// chunks: chunks-system
import { health as factory } from '../../../handlers/system/platform.routes.ts';
import { services } from '../../../app/services.ts';
import { lambdaEntry } from '../lambda-entry.ts';

export const handler = lambdaEntry("health", factory, services);

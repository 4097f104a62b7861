// Generated from the function table by `npm run generate`. Do not edit by hand.
// chunks: chunks-identity
import { deleteAccount as factory } from '../../../handlers/identity/seed.routes.ts';
import { services } from '../../../app/services.ts';
import { lambdaEntry } from '../lambda-entry.ts';

export const handler = lambdaEntry("axly-delete-account", factory, services);

// Generated from the function table by `npm run generate`. Do not edit by hand.
// chunks: chunks-identity
import { revoke as factory } from '../../../handlers/identity/client.routes.ts';
import service from '../../../handlers/identity/index.ts';
import { lambdaEntry } from '../lambda-entry.ts';

export const handler = lambdaEntry("auth-revoke", factory, [service]);

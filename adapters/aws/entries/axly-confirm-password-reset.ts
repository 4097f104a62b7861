// Generated from the function table by `npm run generate`. Do not edit by hand.
// chunks: chunks-identity
import { seedConfirmPasswordReset as factory } from '../../../handlers/identity/seed.routes.ts';
import service from '../../../handlers/identity/index.ts';
import { lambdaEntry } from '../lambda-entry.ts';

export const handler = lambdaEntry("axly-confirm-password-reset", factory, [service]);

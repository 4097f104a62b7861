// Generated from the function table by `npm run generate`. Do not edit by hand.
// chunks: chunks-operations
import { deleteDeadLetter as factory } from '../../../handlers/operations/dead-letters.routes.ts';
import { services } from '../../../app/services.ts';
import { lambdaEntry } from '../lambda-entry.ts';

export const handler = lambdaEntry("admin-dead-letters-delete", factory, services);

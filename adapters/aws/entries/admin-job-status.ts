// Generated from the function table by `npm run generate`. Do not edit by hand.
// chunks: chunks-operations
import { getJob as factory } from '../../../handlers/operations/job-status.routes.ts';
import { services } from '../../../app/services.ts';
import { lambdaEntry } from '../lambda-entry.ts';

export const handler = lambdaEntry("admin-job-status", factory, services);

// Generated from the function table by `npm run generate`. Do not edit by hand.
// chunks: chunks-jobs
import { poison as factory } from '../../../jobs/functions.ts';
import { services } from '../../../app/services.ts';
import { lambdaEntry } from '../lambda-entry.ts';
import { jobModules } from './job-modules.ts';

export const handler = lambdaEntry("jobs-draft-jobs-poison", factory, services, jobModules);

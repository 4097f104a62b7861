/** The system service: health, the API document, CORS preflight and the hourly purge of expired documents. */
import { defineService } from '../../kernel/services.ts';
import { systemFunctions } from './functions.ts';
import { systemJobs } from './jobs.ts';

export default defineService({
  name: 'system',
  summary: 'Health, the API document, CORS preflight and the hourly purge of expired documents.',
  // The API document and the purge describe every service, so its bundles carry every manifest.
  scope: 'app',
  functions: systemFunctions,
  jobs: systemJobs,
});

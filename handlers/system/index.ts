/** The system service: health, the API document, CORS preflight, diagnostics, and the hourly purge of expired documents. */
import { defineService } from '../../kernel/services.ts';
import { systemFunctions } from './functions.ts';
import { systemJobs } from './jobs.ts';

export default defineService({
  name: 'system',
  summary: 'Health, the API document, CORS preflight, diagnostics routes and the hourly purge of expired documents.',
  functions: systemFunctions,
  jobs: systemJobs,
});

/** The operations service: dead letters (list, replay, delete, purge), job status and metrics, for admins. */
import { defineService } from '../../kernel/services.ts';
import { operationsFunctions } from './functions.ts';

export default defineService({
  name: 'operations',
  summary: 'Dead letters (list, replay, delete, purge), job status and metrics, for admins.',
  functions: operationsFunctions,
  // Dead letters and job status span every service's jobs, so its bundles carry every manifest.
  scope: 'app',
});

/**
 * The capability service (image2url): stateless processing plugins (image, video, document, AI)
 * behind API keys, run synchronously or as jobs with signed callbacks, writing their outputs to
 * object storage and answering URLs.
 */
import { defineService } from '../../kernel/services.ts';
import { capabilitiesFunctions } from './functions.ts';
import { capabilitiesJobs } from './jobs.ts';
import { CAPABILITIES_VARIABLES, loadCapabilitiesSettings } from './settings.ts';
import { capabilityJobsContainer } from './store.ts';

export default defineService({
  name: 'capabilities',
  summary: 'image2url: stateless processing plugins behind API keys, sync or as jobs with signed callbacks, outputs in object storage.',
  functions: capabilitiesFunctions,
  jobs: capabilitiesJobs,
  containers: [capabilityJobsContainer],
  settings: { variables: CAPABILITIES_VARIABLES, load: loadCapabilitiesSettings },
});

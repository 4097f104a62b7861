/**
 * The discovery service (Underfoot): an AI-parsed search over SerpApi, Reddit and Eventbrite,
 * scored, summarised and cached in two layers; its health; and the search as an event stream.
 */
import { defineService } from '../../kernel/services.ts';
import { discoveryCacheContainer } from './store.ts';
import { discoveryFunctions } from './functions.ts';
import { DISCOVERY_VARIABLES, loadDiscoverySettings } from './settings.ts';

export default defineService({
  name: 'discovery',
  summary: 'Underfoot: AI-parsed search over several sources, scored, summarised and cached; its health and event stream.',
  functions: discoveryFunctions,
  containers: [discoveryCacheContainer],
  settings: { variables: DISCOVERY_VARIABLES, load: loadDiscoverySettings },
});

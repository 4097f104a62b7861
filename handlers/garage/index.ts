/**
 * The garage service (Axly): vehicles, mods, service records and reminders, vehicle images,
 * conversations and the AI diagnosis, with schema migrations for its documents.
 */
import { defineService } from '../../kernel/services.ts';
import { conversationsFunctions } from './conversations/functions.ts';
import { diagnoseFunctions } from './diagnose/functions.ts';
import { garageMigrations } from './migrations/index.ts';
import { GARAGE_VARIABLES, loadGarageSettings } from './settings.ts';
import { garageContainers } from './store.ts';
import { vehiclesFunctions } from './vehicles/functions.ts';

export default defineService({
  name: 'garage',
  summary: 'Axly: vehicles, mods, service records and reminders, vehicle images, conversations and AI diagnosis.',
  functions: [...vehiclesFunctions, ...conversationsFunctions, ...diagnoseFunctions],
  containers: garageContainers,
  settings: { variables: GARAGE_VARIABLES, load: loadGarageSettings },
  migrations: garageMigrations,
  // Every garage container is partitioned by userId; vehicle images live under the user's prefix.
  erase: {
    documents: garageContainers.map((container) => ({ container })),
    blobs: ({ vehicles }, userId) => [{ container: vehicles.imagesContainer, prefix: `${encodeURIComponent(userId)}/` }],
  },
});

/**
 * The garage service (Axly): vehicles, mods, service records and reminders, vehicle images,
 * conversations and the AI diagnosis, with schema migrations for its documents.
 */
import { defineService } from '../../kernel/services.ts';
import { garageMigrations } from './migrations/index.ts';
import { garageContainers } from './store.ts';

export default defineService({
  name: 'garage',
  summary: 'Axly: vehicles, mods, service records and reminders, vehicle images, conversations and AI diagnosis.',
  functions: [],
  containers: garageContainers,
  migrations: garageMigrations,
});

/**
 * The garage service (Axly): vehicles, mods, service records and reminders, vehicle images,
 * conversations and the AI diagnosis, with schema migrations for its documents.
 */
import { defineService } from '../../kernel/services.ts';
import { diagnoseFunctions } from './diagnose/functions.ts';
import { GARAGE_VARIABLES, loadGarageSettings } from './settings.ts';
import { garageContainers } from './store.ts';

export default defineService({
  name: 'garage',
  summary: 'Axly: vehicles, mods, service records and reminders, vehicle images, conversations and AI diagnosis.',
  functions: [...diagnoseFunctions],
  containers: garageContainers,
  settings: { variables: GARAGE_VARIABLES, load: loadGarageSettings },
});

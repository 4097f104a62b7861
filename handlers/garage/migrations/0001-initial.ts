/**
 * Revision 1, the garage's first schema: vehicles (version 1, mods embedded as an array) and
 * conversations (version 1, their turns in a `history_json` array), as the upstream's first tables.
 */
import { defineMigration } from '../../../kernel/migrations.ts';
import { conversationsContainer, vehiclesContainer } from '../containers.ts';

export default defineMigration({
  id: '0001-initial',
  description: 'vehicles and conversations (turns in history_json), version 1',
  source: import.meta.url,
  up: async ({ documents }) => {
    await documents.ensure([vehiclesContainer, conversationsContainer]);
  },
  // The port cannot drop a container, and erasing every vehicle is not a change of shape: the
  // documents stay, as version 1, for an `up` to pick up again.
  down: async () => undefined,
});

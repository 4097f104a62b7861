/** The garage's schema migrations, oldest first (the manifest lists them; upgrades.ts reads their `reads`). */
import initial from './0001-initial.ts';
import vehicleMods from './0002-vehicle-mods.ts';
import conversationVehicle from './0003-conversation-vehicle.ts';
import conversationMessages from './0004-conversation-messages.ts';

export const garageMigrations = [initial, vehicleMods, conversationVehicle, conversationMessages];

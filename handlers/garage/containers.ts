/**
 * The garage's containers, every one partitioned by its owner's user id. Apart from store.ts (which
 * re-exports them) so the migrations and upgrades.ts can name them without importing the current document shapes
 * (store.ts imports upgrades.ts).
 */
import type { ContainerSpec } from '../../domain/ports.ts';

export const vehiclesContainer: ContainerSpec = { name: 'garage-vehicles', partitionKey: 'userId' };
export const modsContainer: ContainerSpec = { name: 'garage-mods', partitionKey: 'userId' };
export const servicesContainer: ContainerSpec = { name: 'garage-services', partitionKey: 'userId' };
export const remindersContainer: ContainerSpec = { name: 'garage-reminders', partitionKey: 'userId' };
export const conversationsContainer: ContainerSpec = { name: 'garage-conversations', partitionKey: 'userId' };
export const messagesContainer: ContainerSpec = { name: 'garage-messages', partitionKey: 'userId' };

export const garageContainers: readonly ContainerSpec[] = [vehiclesContainer, modsContainer, servicesContainer, remindersContainer, conversationsContainer, messagesContainer];

/** The current schema version of each container's documents: the head of its migrations (tests/migrations checks they agree). */
export const SCHEMA_VERSIONS = {
  'garage-vehicles': 2,
  'garage-mods': 1,
  'garage-services': 1,
  'garage-reminders': 1,
  'garage-conversations': 3,
  'garage-messages': 1,
} as const;

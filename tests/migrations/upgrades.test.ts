/** Reads of documents one version behind come back in the current shape; two behind fail naming the fix. */
import { describe, expect, it } from '@jest/globals';
import { MemoryDocumentStore } from '../../adapters/memory/documents.ts';
import { garageMigrations } from '../../handlers/garage/migrations/index.ts';
import { SCHEMA_VERSIONS, conversationsContainer, garageContainers, garageRepository, vehiclesContainer } from '../../handlers/garage/store.ts';
import { upgradeOnRead } from '../../handlers/garage/upgrades.ts';
import { testClock } from '../support/jobs.ts';

const stamp = { userId: 'ann', createdAt: '2026-01-02T03:04:05.000Z', updatedAt: '2026-01-02T03:04:05.000Z' };

describe('upgradeOnRead', () => {
  it('has a read step to the current version for every container a migration moved past version 1', () => {
    for (const container of garageContainers) {
      const steps = garageMigrations.flatMap((migration) => (migration.reads?.[container.name] ? [migration.reads[container.name]!.from] : []));
      // Versions 1..current: one step out of each but the last.
      expect([1, ...steps.map((from) => from + 1)]).toEqual(Array.from({ length: SCHEMA_VERSIONS[container.name as keyof typeof SCHEMA_VERSIONS] }, (_, index) => index + 1));
    }
  });

  it('reads a vehicle one version behind (mods embedded) without its mods array, through the repository', async () => {
    const documents = new MemoryDocumentStore(testClock());
    await documents.repository(vehiclesContainer).create({ id: 'v1', ...stamp, schemaVersion: 1, make: 'Mazda', model: 'MX-5', year: '1998', mods: [{ name: 'Coilovers' }] });
    const vehicle = await garageRepository(documents, vehiclesContainer).get('v1', 'ann');
    expect(vehicle).toMatchObject({ id: 'v1', schemaVersion: 2, make: 'Mazda', etag: expect.any(String) });
    expect(vehicle).not.toHaveProperty('mods');
  });

  it('reads a conversation one version behind (turns in history_json) with its messageCount, in a query too', async () => {
    const documents = new MemoryDocumentStore(testClock());
    const turns = [{ sender: 'user', text: 'Clunk' }, { sender: 'ai', text: 'Sway bar links' }];
    await documents.repository(conversationsContainer).create({ id: 'c1', ...stamp, schemaVersion: 2, title: 'Noise', route: 'v2', vehicleId: null, history_json: turns });
    const { items } = await garageRepository(documents, conversationsContainer).query({ limit: 10, partitionKey: 'ann' });
    expect(items).toEqual([{ id: 'c1', ...stamp, schemaVersion: 3, title: 'Noise', route: 'v2', vehicleId: null, messageCount: 2, etag: expect.any(String) }]);
  });

  it('takes documents at the current version as they are, in every container', () => {
    for (const container of garageContainers) {
      const document = { id: 'x', ...stamp, schemaVersion: SCHEMA_VERSIONS[container.name as keyof typeof SCHEMA_VERSIONS] };
      expect(upgradeOnRead(container.name, document)).toBe(document);
    }
  });

  it('refuses a document two versions behind, naming `npm run migrate -- up`', () => {
    expect(() => upgradeOnRead('garage-conversations', { id: 'c1', ...stamp, schemaVersion: 1, history_json: [] })).toThrow(
      /garage-conversations document c1 is at schema version 1.*npm run migrate -- up/,
    );
  });
});

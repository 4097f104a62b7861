/**
 * The garage's revisions, each on documents written at the version before it: up gives the new
 * shape, down gives back exactly what was written. Pages of two, so every walk crosses pages.
 */
import { describe, expect, it } from '@jest/globals';
import type { Document, DocumentStore } from '../../domain/ports.ts';
import garage from '../../handlers/garage/index.ts';
import { conversationsContainer, messagesContainer, modsContainer, vehiclesContainer } from '../../handlers/garage/store.ts';
import { contents, memoryMigrator } from './support.ts';

const at = '2026-01-02T03:04:05.000Z';
const stamped = (id: string, userId: string, schemaVersion: number) => ({ id, userId, schemaVersion, createdAt: at, updatedAt: at });

const vehicleV1 = (id: string, userId: string, mods: object[]) => ({
  ...stamped(id, userId, 1), make: 'Mazda', model: 'MX-5', year: '1998', trim: null, vin: null, vinKey: null, mileage: null, nickname: null, image: null, mods,
});
const turn = (sender: 'user' | 'ai', text: string, second: number) => ({ sender, text, at: `2026-01-02T03:04:${String(second).padStart(2, '0')}.000Z`, attachments: [], transcript: null });

async function write(documents: DocumentStore, container: typeof vehiclesContainer, items: Document[]) {
  await documents.ensure([container]);
  for (const item of items) await documents.repository(container).create(item);
}

/** Applied up to (and including) `before`, so the next revision is the one under test. */
async function migratedTo(before: string) {
  const setup = memoryMigrator({ services: [garage] });
  await setup.migrator.up(before);
  return setup;
}

describe('garage revisions', () => {
  it('0001-initial creates the vehicle and conversation containers, and its down keeps their documents', async () => {
    const { documents, migrator } = memoryMigrator({ services: [garage] });
    expect((await migrator.up('0001-initial')).revisions.map((run) => run.key)).toEqual(['garage.0001-initial']);
    await write(documents, vehiclesContainer, [vehicleV1('v1', 'ann', [])]);
    await migrator.down(1);
    expect(await contents(documents, vehiclesContainer)).toEqual([vehicleV1('v1', 'ann', [])]);
  });

  it('0002-vehicle-mods moves embedded mods into garage-mods documents, and back', async () => {
    const { documents, migrator } = await migratedTo('0001-initial');
    const before = [
      vehicleV1('v1', 'ann', [
        { id: 'm1', name: 'Coilovers', description: 'BC Racing', installedOn: '2025-05-01', createdAt: at, updatedAt: at },
        { name: 'Intake', description: '', installedOn: null },
      ]),
      vehicleV1('v2', 'ann', []),
      vehicleV1('v3', 'bob', [{ id: 'm3', name: 'Exhaust', description: 'cat-back', installedOn: null, createdAt: '2026-01-03T00:00:00.000Z', updatedAt: '2026-01-03T00:00:00.000Z' }]),
    ];
    await write(documents, vehiclesContainer, before);

    const report = await migrator.up('0002-vehicle-mods');
    expect(report.revisions[0]!.documents).toEqual({ 'garage-mods': 3, 'garage-vehicles': 3 });
    const vehicles = await contents(documents, vehiclesContainer);
    expect(vehicles.map((vehicle) => [vehicle.id, vehicle.schemaVersion, 'mods' in vehicle])).toEqual([['v1', 2, false], ['v2', 2, false], ['v3', 2, false]]);
    expect(await contents(documents, modsContainer)).toEqual([
      { ...stamped('m1', 'ann', 1), vehicleId: 'v1', name: 'Coilovers', description: 'BC Racing', installedOn: '2025-05-01' },
      { id: 'm3', userId: 'bob', schemaVersion: 1, createdAt: '2026-01-03T00:00:00.000Z', updatedAt: '2026-01-03T00:00:00.000Z', vehicleId: 'v3', name: 'Exhaust', description: 'cat-back', installedOn: null },
      { ...stamped('v1-mod-2', 'ann', 1), vehicleId: 'v1', name: 'Intake', description: '', installedOn: null },
    ]);

    await migrator.down(1);
    expect(await contents(documents, modsContainer)).toEqual([]);
    const restored = await contents(documents, vehiclesContainer);
    expect(restored.map((vehicle) => [vehicle.id, vehicle.schemaVersion])).toEqual([['v1', 1], ['v2', 1], ['v3', 1]]);
    // The embedded mods come back, each with the id and times its document had.
    expect(restored[0]!.mods).toEqual([
      { id: 'm1', name: 'Coilovers', description: 'BC Racing', installedOn: '2025-05-01', createdAt: at, updatedAt: at },
      { id: 'v1-mod-2', name: 'Intake', description: '', installedOn: null, createdAt: at, updatedAt: at },
    ]);
    expect(restored[2]).toEqual(before[2]);
  });

  it('0003-conversation-vehicle gives conversations a vehicleId, and takes it away', async () => {
    const { documents, migrator } = await migratedTo('0002-vehicle-mods');
    const conversation = { ...stamped('c1', 'ann', 1), title: 'Rough idle', route: 'v2', history_json: [turn('user', 'It shakes', 1)] };
    await write(documents, conversationsContainer, [conversation]);

    await migrator.up('0003-conversation-vehicle');
    expect(await contents(documents, conversationsContainer)).toEqual([{ ...conversation, vehicleId: null, schemaVersion: 2 }]);
    await migrator.down(1);
    expect(await contents(documents, conversationsContainer)).toEqual([conversation]);
  });

  it('0004-conversation-messages moves history_json turns into garage-messages documents, and back in order', async () => {
    const { documents, migrator } = await migratedTo('0003-conversation-vehicle');
    const history = [turn('user', 'It shakes at idle', 1), turn('ai', 'Check the vacuum lines', 2), turn('user', 'Found a crack', 3)];
    const conversations = [
      { ...stamped('c1', 'ann', 2), title: 'Rough idle', route: 'v2', vehicleId: 'v1', history_json: history },
      { ...stamped('c2', 'ann', 2), title: 'Empty', route: 'legacy', vehicleId: null, history_json: [] },
    ];
    await write(documents, conversationsContainer, conversations);

    const report = await migrator.up('0004-conversation-messages');
    expect(report.revisions[0]!.documents).toEqual({ 'garage-messages': 3, 'garage-conversations': 2 });
    expect(await contents(documents, conversationsContainer)).toEqual([
      { ...stamped('c1', 'ann', 3), title: 'Rough idle', route: 'v2', vehicleId: 'v1', messageCount: 3 },
      { ...stamped('c2', 'ann', 3), title: 'Empty', route: 'legacy', vehicleId: null, messageCount: 0 },
    ]);
    const messages = await contents(documents, messagesContainer);
    expect(messages.map((message) => [message.id, message.conversationId, message.sender, message.text, message.createdAt, message.schemaVersion])).toEqual([
      ['c1-0001', 'c1', 'user', 'It shakes at idle', history[0]!.at, 1],
      ['c1-0002', 'c1', 'ai', 'Check the vacuum lines', history[1]!.at, 1],
      ['c1-0003', 'c1', 'user', 'Found a crack', history[2]!.at, 1],
    ]);

    await migrator.down(1);
    expect(await contents(documents, messagesContainer)).toEqual([]);
    expect(await contents(documents, conversationsContainer)).toEqual(conversations);
  });

  it('walks the whole chain up and all the way down again', async () => {
    const { documents, migrator } = memoryMigrator({ services: [garage] });
    await migrator.up('0001-initial');
    const vehicle = vehicleV1('v1', 'ann', [{ id: 'm1', name: 'Wheels', description: '', installedOn: null, createdAt: at, updatedAt: at }]);
    const conversation = { ...stamped('c1', 'ann', 1), title: 'Noise', route: 'legacy', history_json: [turn('user', 'Clunk', 1), turn('ai', 'Sway bar links', 2)] };
    await write(documents, vehiclesContainer, [vehicle]);
    await write(documents, conversationsContainer, [conversation]);
    await migrator.up();
    expect((await contents(documents, conversationsContainer))[0]).toMatchObject({ schemaVersion: 3, vehicleId: null, messageCount: 2 });
    await migrator.down(4);
    expect(await contents(documents, vehiclesContainer)).toEqual([vehicle]);
    expect(await contents(documents, conversationsContainer)).toEqual([conversation]);
  });
});

/**
 * The vehicle routes and the reminder timer on the real adapters a user meets: Cosmos DB (the
 * embedded emulator: real SDK continuation tokens, ETags and cross-partition queries) and blob
 * storage (embedded Azurite: the image lands under `<user>/<vehicle>/`, its SAS URL serves it).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { CosmosDocumentStore } from '../../../adapters/cosmos/document-store.ts';
import { startAzurite, type Azurite } from '../../../adapters/local/azurite.ts';
import { startCosmosEmulator, type CosmosEmulator } from '../../../adapters/local/cosmos-emulator.ts';
import { AzureBlobStore } from '../../../adapters/storage/blob-store.ts';
import { garageContainers } from '../../../handlers/garage/store.ts';
import { testClock } from '../../support/jobs.ts';
import { png, setup, VIN } from './support.ts';

let emulator: CosmosEmulator;
let azurite: Azurite;
let store: CosmosDocumentStore;
let blobs: AzureBlobStore;
const clock = testClock(Date.parse('2026-11-22T10:00:00Z'));

beforeAll(async () => {
  [emulator, azurite] = await Promise.all([startCosmosEmulator(), startAzurite()]);
  store = new CosmosDocumentStore({ endpoint: emulator.endpoint, key: emulator.key, database: `garage-${randomUUID()}` }, clock);
  await store.ensure(garageContainers);
  blobs = new AzureBlobStore(azurite.connectionString);
}, 300_000);

afterAll(async () => {
  await store?.dispose();
  await Promise.all([emulator?.stop(), azurite?.stop()]);
});

describe('garage vehicles on Cosmos DB and Azurite', () => {
  it('pages vehicles, rejects a duplicate VIN, stores the image in blob storage, cascades a delete, and runs the timer once', async () => {
    const t = setup({ ports: { documents: store, blobs, clock } });
    const ann = t.as('cosmos-ann');
    const ids: string[] = [];
    for (const make of ['Alfa', 'BMW', 'Citroen']) {
      clock.advance(1000);
      ids.push((await ann.createVehicle({ make, model: 'X', year: 2001, mileage: 100_000 })).json!.id as string);
    }
    const makes: string[] = [];
    let query = 'limit=2';
    for (;;) {
      const page = await ann.call('garage-vehicles-list', { query });
      makes.push(...page.json!.items.map((v: { make: string }) => v.make));
      if (!page.json!.continuation) break;
      query = `limit=2&continuation=${encodeURIComponent(page.json!.continuation)}`;
    }
    expect(makes).toEqual(['Citroen', 'BMW', 'Alfa']);

    const id = ids[0]!;
    expect((await ann.call('garage-vehicles-update', { params: { id }, body: { vin: VIN } })).statusCode).toBe(200);
    expect((await ann.call('garage-vehicles-update', { params: { id: ids[1]! }, body: { vin: VIN.toLowerCase() } })).statusCode).toBe(409);
    expect((await t.as('cosmos-bob').call('garage-vehicles-get', { params: { id } })).statusCode).toBe(404);

    const upload = await ann.call('garage-vehicle-image-upload', { params: { id }, rawBody: await png(2400, 1200, { r: 200, g: 30, b: 40 }), contentType: 'image/png' });
    expect(upload.statusCode).toBe(201);
    const names = await blobs.list('garage-images', 'cosmos-ann/');
    expect(names).toEqual([expect.stringMatching(new RegExp(`^cosmos-ann/${id}/[^/]+\\.webp$`))]);
    const response = await fetch(new URL(upload.json!.url as string));
    expect(response.status).toBe(200);
    expect(await sharp(Buffer.from(await response.arrayBuffer())).metadata()).toMatchObject({ format: 'webp', width: 2048, height: 1024 });

    await ann.call('garage-mods-create', { params: { id }, body: { name: 'Turbo', installed_on: '2025-06-01' } });
    await ann.call('garage-reminders-create', { params: { id: ids[2]! }, body: { name: 'Oil', next_due_miles: 100_000 } });
    await t.runTimer();
    await t.runTimer();
    expect(t.email.sent.map((mail) => [mail.to, mail.subject])).toEqual([['cosmos-ann@example.test', 'Service due: Oil for 2001 Citroen X']]);

    expect((await ann.call('garage-vehicles-delete', { params: { id } })).statusCode).toBe(204);
    expect(await blobs.list('garage-images', 'cosmos-ann/')).toEqual([]);
    expect((await ann.call('garage-mods-list', { params: { id } })).statusCode).toBe(404);
    expect((await store.repository({ name: 'garage-mods', partitionKey: 'userId' }).query({ partitionKey: 'cosmos-ann', limit: 10 })).items).toEqual([]);
  }, 120_000);
});

/**
 * The vehicle, mod, service-record, reminder and image routes through bind on memory ports:
 * what each stores and answers, the VIN and date rules, PUT versus PATCH, paging, the cascade
 * of a vehicle delete, and that nothing of one user is visible to another (404 everywhere).
 */
import { describe, expect, it } from '@jest/globals';
import sharp from 'sharp';
import { vinCheckDigit, vinProblem } from '../../../domain/garage/vin.ts';
import { conversationsContainer, garageRepository, type ConversationDoc } from '../../../handlers/garage/store.ts';
import { png, setup, VIN } from './support.ts';

const car = { make: 'Mazda', model: 'MX-5', year: 1998 };

function multipart(parts: { name: string; filename?: string; type?: string; bytes: Uint8Array | string }[], boundary = 'axly-boundary') {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${part.filename ? `; filename="${part.filename}"` : ''}\r\n${part.type ? `Content-Type: ${part.type}\r\n` : ''}\r\n`));
    chunks.push(Buffer.from(part.bytes));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { rawBody: new Uint8Array(Buffer.concat(chunks)), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe('VIN rules', () => {
  it('takes 17 characters without I, O or Q, and checks position 9 of North-American VINs', () => {
    expect(vinCheckDigit(VIN)).toBe('X');
    expect(vinProblem(VIN)).toBeUndefined();
    expect(vinProblem(VIN.toLowerCase())).toBeUndefined();
    expect(vinProblem('1M8GDM9A1KP042788')).toMatch(/check digit/);
    expect(vinProblem('1M8GDM9AXKP04278')).toMatch(/17/);
    expect(vinProblem('1M8GDM9AXKPO42788')).toMatch(/I, O or Q/);
    // A European VIN (W = Germany) has no mandatory check digit.
    expect(vinProblem('WVWZZZ1JZXW000001')).toBeUndefined();
  });
});

describe('garage vehicles', () => {
  it('creates, reads, lists (paged, newest first), replaces and patches a vehicle', async () => {
    const t = setup();
    const created = await t.as('ann').createVehicle({ ...car, vin: VIN.toLowerCase(), nickname: 'Roadster', mileage: 120_000 });
    expect(created.statusCode).toBe(201);
    const id = created.json!.id as string;
    expect(created.headers.location).toBe(`/api/vehicles/${id}`);
    expect(created.json).toMatchObject({ make: 'Mazda', model: 'MX-5', year: '1998', vin: VIN.toLowerCase(), trim: null, mileage: 120_000, nickname: 'Roadster', image: null });

    t.clock.advance(1000);
    await t.as('ann').createVehicle({ make: 'Ford', model: 'F-150', year: '2020' });
    t.clock.advance(1000);
    await t.as('ann').createVehicle({ make: 'Honda', model: 'Civic', year: 2005 });
    const first = await t.as('ann').call('garage-vehicles-list', { query: 'limit=2' });
    expect(first.json!.items.map((v: { make: string }) => v.make)).toEqual(['Honda', 'Ford']);
    const second = await t.as('ann').call('garage-vehicles-list', { query: `limit=2&continuation=${encodeURIComponent(first.json!.continuation)}` });
    expect(second.json!.items.map((v: { make: string }) => v.make)).toEqual(['Mazda']);
    expect(second.json!.continuation).toBeUndefined();

    // PATCH merges, and null clears an optional field.
    const patched = await t.as('ann').call('garage-vehicles-update', { params: { id }, body: { trim: 'NA', nickname: null } });
    expect(patched.json).toMatchObject({ make: 'Mazda', trim: 'NA', nickname: null, mileage: 120_000, vin: VIN.toLowerCase() });
    // PUT replaces: what is left out is gone.
    const replaced = await t.as('ann').call('garage-vehicles-replace', { params: { id }, body: { make: 'Mazda', model: 'Miata', year: 1999 } });
    expect(replaced.json).toMatchObject({ model: 'Miata', year: '1999', trim: null, vin: null, mileage: null });
    // A stale If-Match is refused.
    const stale = await t.as('ann').call('garage-vehicles-update', { params: { id }, body: { trim: 'x' }, headers: { 'if-match': created.headers.etag! } });
    expect(stale.statusCode).toBe(412);

    const got = await t.as('ann').vehicle(id);
    expect(got.json).toMatchObject({ id, model: 'Miata', mods: [] });
    expect(got.headers.etag).toBe(replaced.headers.etag);
  });

  it('refuses bad input with a clear 4xx problem and stores nothing', async () => {
    const t = setup();
    const cases: [unknown, number, string][] = [
      [{ make: 'Mazda', model: 'MX-5' }, 400, 'validation_failed'],
      [{ ...car, year: 1700 }, 400, 'validation_failed'],
      [{ ...car, year: '98' }, 400, 'validation_failed'],
      [{ ...car, vin: '1M8GDM9A1KP042788' }, 400, 'invalid_vin'],
      [{ ...car, vin: 'SHORT' }, 400, 'invalid_vin'],
      [{ ...car, colour: 'red' }, 400, 'validation_failed'],
    ];
    for (const [body, status, code] of cases) {
      const reply = await t.as('ann').createVehicle(body);
      expect([reply.statusCode, reply.json!.code]).toEqual([status, code]);
      expect(reply.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    const bad = await t.as('ann').createVehicle({ ...car, vin: '1M8GDM9A1KP042788' });
    expect(bad.json!.errors).toEqual([{ pointer: '/body/vin', detail: expect.stringMatching(/check digit/) }]);
    expect((await t.as('ann').call('garage-vehicles-list')).json!.items).toEqual([]);
  });

  it('keeps VINs unique per user, case-insensitively (409), but not across users', async () => {
    const t = setup();
    const first = await t.as('ann').createVehicle({ ...car, vin: VIN });
    const again = await t.as('ann').createVehicle({ make: 'Other', model: 'Car', year: 2001, vin: ` ${VIN.toLowerCase()} ` });
    expect([again.statusCode, again.json!.code]).toEqual([409, 'duplicate_vin']);
    expect((await t.as('bob').createVehicle({ ...car, vin: VIN })).statusCode).toBe(201);
    // Its own VIN again is no conflict; moving another vehicle onto it is.
    expect((await t.as('ann').call('garage-vehicles-update', { params: { id: first.json!.id }, body: { vin: VIN.toLowerCase() } })).statusCode).toBe(200);
    const other = await t.as('ann').createVehicle({ make: 'Ford', model: 'F-150', year: 2020 });
    expect((await t.as('ann').call('garage-vehicles-update', { params: { id: other.json!.id }, body: { vin: VIN } })).statusCode).toBe(409);
  });

  it('stores mods, service records and reminders under a vehicle, validated and merged', async () => {
    const t = setup();
    const id = (await t.as('ann').createVehicle(car)).json!.id as string;
    const mod = await t.as('ann').call('garage-mods-create', { params: { id }, body: { name: 'Coilovers', installed_on: '2024-02-29' } });
    expect(mod.statusCode).toBe(201);
    expect(mod.json).toMatchObject({ vehicle_id: id, name: 'Coilovers', description: '', installed_on: '2024-02-29' });
    const badDate = await t.as('ann').call('garage-mods-create', { params: { id }, body: { name: 'Exhaust', installed_on: '2023-02-29' } });
    expect([badDate.statusCode, badDate.json!.code, badDate.json!.errors[0].pointer]).toEqual([400, 'validation_failed', '/body/installed_on']);
    const modId = mod.json!.id as string;
    const updated = await t.as('ann').call('garage-mods-update', { params: { id, modId }, body: { description: 'Adjustable', installed_on: null } });
    expect(updated.json).toMatchObject({ name: 'Coilovers', description: 'Adjustable', installed_on: null });
    expect((await t.as('ann').vehicle(id)).json!.mods).toEqual([expect.objectContaining({ id: modId, description: 'Adjustable' })]);

    const service = await t.as('ann').call('garage-services-create', { params: { id }, body: { name: 'Oil change', performed_on: '2026-01-05', odometer_miles: 121_000, cost_cents: 4999, currency: 'usd' } });
    expect(service.json).toMatchObject({ name: 'Oil change', currency: 'USD', cost_cents: 4999, description: '' });
    // The upstream's service PUT always failed (an undefined name); this one merges.
    const serviceId = service.json!.id as string;
    expect((await t.as('ann').call('garage-services-update', { params: { id, serviceId }, body: { cost_cents: 5999 } })).json).toMatchObject({ name: 'Oil change', cost_cents: 5999 });

    const reminder = await t.as('ann').call('garage-reminders-create', { params: { id }, body: { name: 'Timing belt', interval_miles: 60_000, last_odometer: 100_000 } });
    expect(reminder.json).toMatchObject({ name: 'Timing belt', remind_ahead_miles: 500, remind_ahead_days: 14, is_active: true, due_since: null, last_notified_at: null });
    const reminderId = reminder.json!.id as string;
    expect((await t.as('ann').call('garage-reminders-update', { params: { id, reminderId }, body: { is_active: false } })).json).toMatchObject({ is_active: false });

    for (const [list, count] of [['garage-mods-list', 1], ['garage-services-list', 1], ['garage-reminders-list', 1]] as const) {
      expect((await t.as('ann').call(list, { params: { id } })).json!.items).toHaveLength(count);
    }
    expect((await t.as('ann').call('garage-mods-delete', { params: { id, modId } })).statusCode).toBe(204);
    expect((await t.as('ann').call('garage-mods-delete', { params: { id, modId } })).statusCode).toBe(404);
    // An unknown vehicle is 404, and nothing is stored.
    expect((await t.as('ann').call('garage-mods-create', { params: { id: 'nope' }, body: { name: 'x' } })).statusCode).toBe(404);
    expect((await t.as('ann').call('garage-mods-list', { params: { id } })).json!.items).toEqual([]);
    // A child id under another of the caller's vehicles is 404 too.
    const other = (await t.as('ann').createVehicle({ make: 'Ford', model: 'F-150', year: 2020 })).json!.id as string;
    expect((await t.as('ann').call('garage-services-update', { params: { id: other, serviceId }, body: { name: 'x' } })).statusCode).toBe(404);
  });

  it('takes an image as raw bytes or multipart, normalises it to WebP, keeps one per vehicle, and refuses what is not one', async () => {
    const t = setup({ env: { GARAGE_IMAGE_MAX_BYTES: '200000' } });
    const id = (await t.as('ann').createVehicle(car)).json!.id as string;
    expect((await t.as('ann').call('garage-vehicle-image-get', { params: { id } })).json).toEqual({ url: null });

    const raw = await t.as('ann').call('garage-vehicle-image-upload', { params: { id }, rawBody: await png(3000, 1500, { r: 10, g: 120, b: 200 }), contentType: 'image/png' });
    expect(raw.statusCode).toBe(201);
    expect(raw.json).toMatchObject({ content_type: 'image/webp', width: 2048, height: 1024 });
    const [firstBlob] = await t.ports.blobs.list('garage-images', 'ann/');
    expect(firstBlob).toMatch(new RegExp(`^ann/${id}/[^/]+\\.webp$`));
    const stored = await t.ports.blobs.get('garage-images', firstBlob!);
    expect(await sharp(Buffer.from(stored!.bytes)).metadata()).toMatchObject({ format: 'webp', width: 2048 });

    const form = multipart([{ name: 'label', bytes: 'front' }, { name: 'file', filename: 'car.png', type: 'image/png', bytes: await png(40, 30, { r: 0, g: 0, b: 0 }) }]);
    const viaForm = await t.as('ann').call('garage-vehicle-image-upload', { params: { id }, ...form });
    expect(viaForm.statusCode).toBe(201);
    expect(viaForm.json).toMatchObject({ width: 40, height: 30 });
    const blobs = await t.ports.blobs.list('garage-images', 'ann/');
    expect(blobs).toHaveLength(1);
    expect(blobs[0]).not.toBe(firstBlob);
    expect((await t.as('ann').vehicle(id)).json!.image).toEqual(expect.any(String));
    expect((await t.as('ann').call('garage-vehicle-image-get', { params: { id } })).json!.url).toEqual(expect.any(String));

    const refusals: [Parameters<ReturnType<typeof t.as>['call']>[1], number, string][] = [
      [{ params: { id }, rawBody: new Uint8Array(Buffer.from('not an image at all')), contentType: 'image/png' }, 400, 'invalid_image'],
      [{ params: { id }, ...multipart([{ name: 'file', type: 'image/jpeg', bytes: 'GIF89a...' }]) }, 400, 'invalid_image'],
      [{ params: { id }, rawBody: new Uint8Array(Buffer.from('plain')), contentType: 'text/plain' }, 415, 'unsupported_media_type'],
      [{ params: { id }, rawBody: new Uint8Array(Buffer.from('--x\r\nbroken')), contentType: 'multipart/form-data; boundary=x' }, 400, 'malformed_multipart'],
      [{ params: { id }, rawBody: new Uint8Array(await sharp({ create: { width: 1200, height: 1200, channels: 3, background: { r: 0, g: 0, b: 0 }, noise: { type: 'gaussian', mean: 128, sigma: 60 } } }).png().toBuffer()), contentType: 'image/png' }, 413, 'body_too_large'],
      [{ params: { id: 'nope' }, rawBody: await png(10, 10, { r: 1, g: 1, b: 1 }), contentType: 'image/png' }, 404, 'not_found'],
    ];
    for (const [init, status, code] of refusals) {
      const reply = await t.as('ann').call('garage-vehicle-image-upload', init);
      expect([reply.statusCode, reply.json!.code]).toEqual([status, code]);
    }
    expect(await t.ports.blobs.list('garage-images', 'ann/')).toEqual(blobs);

    expect((await t.as('ann').call('garage-vehicle-image-delete', { params: { id } })).statusCode).toBe(204);
    expect(await t.ports.blobs.list('garage-images', 'ann/')).toEqual([]);
    expect((await t.as('ann').call('garage-vehicle-image-delete', { params: { id } })).statusCode).toBe(404);
  });

  it('deletes a vehicle with its mods, services, reminders and image, and unlinks its conversations', async () => {
    const t = setup();
    const id = (await t.as('ann').createVehicle(car)).json!.id as string;
    const keep = (await t.as('ann').createVehicle({ make: 'Ford', model: 'F-150', year: 2020 })).json!.id as string;
    for (const vehicle of [id, keep]) {
      await t.as('ann').call('garage-mods-create', { params: { id: vehicle }, body: { name: 'Mod' } });
      await t.as('ann').call('garage-services-create', { params: { id: vehicle }, body: { name: 'Service' } });
      await t.as('ann').call('garage-reminders-create', { params: { id: vehicle }, body: { name: 'Reminder' } });
    }
    await t.as('ann').call('garage-vehicle-image-upload', { params: { id }, rawBody: await png(20, 20, { r: 1, g: 2, b: 3 }), contentType: 'image/png' });
    const conversations = garageRepository<ConversationDoc>(t.ports.documents, conversationsContainer);
    const at = t.clock.now().toISOString();
    await conversations.create({ id: 'conv-1', userId: 'ann', schemaVersion: 3, vehicleId: id, title: 'Noise', messageCount: 0, route: 'v2', createdAt: at, updatedAt: at });

    expect((await t.as('ann').call('garage-vehicles-delete', { params: { id } })).statusCode).toBe(204);
    expect((await t.as('ann').vehicle(id)).statusCode).toBe(404);
    expect(await t.ports.blobs.list('garage-images', 'ann/')).toEqual([]);
    expect((await conversations.get('conv-1', 'ann'))).toMatchObject({ vehicleId: null, title: 'Noise' });
    for (const repo of ['garage-mods', 'garage-services', 'garage-reminders']) {
      const left = await t.ports.documents.repository<{ id: string; vehicleId: string }>({ name: repo, partitionKey: 'userId' }).query({ partitionKey: 'ann', limit: 100 });
      expect(left.items.map((item) => item.vehicleId)).toEqual([keep]);
    }
    expect((await t.as('ann').call('garage-vehicles-delete', { params: { id } })).statusCode).toBe(404);
  });

  it('shows nothing of one user to another: every vehicle, mod, service, reminder and image route is 404', async () => {
    const t = setup();
    const id = (await t.as('ann').createVehicle({ ...car, vin: VIN })).json!.id as string;
    const modId = (await t.as('ann').call('garage-mods-create', { params: { id }, body: { name: 'Mod' } })).json!.id as string;
    const serviceId = (await t.as('ann').call('garage-services-create', { params: { id }, body: { name: 'Service' } })).json!.id as string;
    const reminderId = (await t.as('ann').call('garage-reminders-create', { params: { id }, body: { name: 'Reminder' } })).json!.id as string;
    await t.as('ann').call('garage-vehicle-image-upload', { params: { id }, rawBody: await png(20, 20, { r: 1, g: 2, b: 3 }), contentType: 'image/png' });
    const image = await png(20, 20, { r: 9, g: 9, b: 9 });
    const attempts: [string, Parameters<ReturnType<typeof t.as>['call']>[1]][] = [
      ['garage-vehicles-get', { params: { id } }],
      ['garage-vehicles-replace', { params: { id }, body: car }],
      ['garage-vehicles-update', { params: { id }, body: { trim: 'x' } }],
      ['garage-vehicles-delete', { params: { id } }],
      ['garage-mods-list', { params: { id } }],
      ['garage-mods-create', { params: { id }, body: { name: 'x' } }],
      ['garage-mods-update', { params: { id, modId }, body: { name: 'x' } }],
      ['garage-mods-delete', { params: { id, modId } }],
      ['garage-services-list', { params: { id } }],
      ['garage-services-create', { params: { id }, body: { name: 'x' } }],
      ['garage-services-update', { params: { id, serviceId }, body: { name: 'x' } }],
      ['garage-services-delete', { params: { id, serviceId } }],
      ['garage-reminders-list', { params: { id } }],
      ['garage-reminders-create', { params: { id }, body: { name: 'x' } }],
      ['garage-reminders-update', { params: { id, reminderId }, body: { name: 'x' } }],
      ['garage-reminders-delete', { params: { id, reminderId } }],
      ['garage-vehicle-image-get', { params: { id } }],
      ['garage-vehicle-image-upload', { params: { id }, rawBody: image, contentType: 'image/png' }],
      ['garage-vehicle-image-delete', { params: { id } }],
    ];
    for (const [name, init] of attempts) {
      const reply = await t.as('bob').call(name, init);
      expect([name, reply.statusCode, reply.json!.code]).toEqual([name, 404, 'not_found']);
    }
    expect((await t.as('bob').call('garage-vehicles-list')).json!.items).toEqual([]);
    // Ann's things are all still there, unchanged.
    const vehicle = await t.as('ann').vehicle(id);
    expect(vehicle.json).toMatchObject({ make: 'Mazda', trim: null, mods: [expect.objectContaining({ name: 'Mod' })], image: expect.any(String) });
    expect((await t.as('ann').call('garage-services-list', { params: { id } })).json!.items).toHaveLength(1);
    expect((await t.as('ann').call('garage-reminders-list', { params: { id } })).json!.items).toHaveLength(1);
  });
});

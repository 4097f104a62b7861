/**
 * The garage service as a user meets it: `npm start` over real HTTP, on embedded defaults (its own
 * Azurite and Cosmos emulator, the offline model), with the diagnose limits lowered by env.
 *
 * The steps run in order and build on each other: sign-up through the seed's routes (the PIN read
 * from the development outbox), a vehicle and a mod, a v2 diagnosis with an image, its session
 * continued with audio, the conversation's four messages, the legacy route, both v2 limits, the
 * vehicle's delete (mods gone, conversations kept and unlinked), another user's 404s, and the
 * account's delete (token refused, every garage document and image of the user gone, the other
 * user's data intact). What the API can no longer show (a deleted user's documents) is read from
 * the host's own emulators through the platform's adapters.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CosmosDocumentStore } from '../../adapters/cosmos/document-store.ts';
import { EMULATOR_KEY } from '../../adapters/local/cosmos-emulator.ts';
import { AzureBlobStore } from '../../adapters/storage/blob-store.ts';
import { garageContainers, modsContainer, vehiclesContainer } from '../../handlers/garage/store.ts';
import { cosmosEndpointOf, startLocalHost, stopLocalHost, storageConnectionOf, type LocalHostProcess } from '../support/local-host-process.ts';
import { pngBytes, wavBytes } from './diagnose/support.ts';

type Json = Record<string, unknown>;
interface Reply {
  status: number;
  body: Json;
}

// Two v2 conversations a month of at most two turns each: small enough to reach both limits.
const LIMITS = { DIAGNOSE_MAX_NEW_CONVERSATIONS_PER_MONTH: '2', DIAGNOSE_MAX_MESSAGES_PER_CONVERSATION: '4' };
const PASSWORD = 'correct horse battery staple';
const IMAGES_CONTAINER = 'garage-images';

const dataDir = mkdtempSync(join(tmpdir(), 'portico-garage-'));
let host: LocalHostProcess;

/** A JSON (or multipart) client for one caller; `token()` is read at each call. */
function client(token: () => string | undefined) {
  const call = async (method: string, path: string, body?: Json | FormData): Promise<Reply> => {
    const bearer = token();
    const headers: Record<string, string> = bearer ? { authorization: `Bearer ${bearer}` } : {};
    // A FormData body gets its multipart content type (with the boundary) from fetch itself.
    if (body !== undefined && !(body instanceof FormData)) headers['content-type'] = 'application/json';
    const response = await fetch(`${host.url}/api/${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: body instanceof FormData ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as Json };
  };
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body: Json | FormData = {}) => call('POST', path, body),
    delete: (path: string) => call('DELETE', path),
    /** POST /api/diagnose2 as multipart/form-data: text parts and files. */
    diagnose2: (fields: Record<string, string>, files: Record<string, { bytes: Buffer; type: string; name: string }> = {}) => {
      const form = new FormData();
      for (const [name, value] of Object.entries(fields)) form.append(name, value);
      for (const [name, file] of Object.entries(files)) form.append(name, new Blob([file.bytes], { type: file.type }), file.name);
      return call('POST', 'diagnose2', form);
    },
  };
}

/** Sign-up as the seed's client does it: request_pin, the PIN from the outbox, confirm_signup, login. */
async function signUp(email: string): Promise<{ token: string; id: string }> {
  const anonymous = client(() => undefined);
  expect(await anonymous.post('request_pin', { email })).toEqual({ status: 202, body: { status: 'sent' } });
  const outbox = await anonymous.get(`dev/outbox?email=${encodeURIComponent(email)}`);
  const pin = /\b(\d{6,8})\b/.exec((outbox.body.messages as { text: string }[]).at(-1)!.text)![1];
  expect((await anonymous.post('confirm_signup', { email, pin, password: PASSWORD })).status).toBe(201);
  const login = await anonymous.post('login', { email, password: PASSWORD });
  expect(login).toMatchObject({ status: 200, body: { token_type: 'bearer', user: { email } } });
  return { token: login.body.access_token as string, id: (login.body.user as { id: string }).id };
}

/** The host's Cosmos documents, through the platform's own adapter and the garage's container specs. */
const documents = () => new CosmosDocumentStore({ endpoint: cosmosEndpointOf(host.line), key: EMULATOR_KEY, database: 'portico' });
const images = () => new AzureBlobStore(storageConnectionOf(host.line));

/** The partition (userId) the garage stored a vehicle in, for the checks the API cannot make. */
async function ownerOf(vehicleId: string): Promise<string> {
  const page = await documents().repository(vehiclesContainer).query({ filters: [{ field: 'id', op: '=', value: vehicleId }], limit: 1 });
  return page.items[0]!.userId as string;
}

/** Every garage document in `owner`'s partition, by container (only the non-empty ones). */
async function garageDocumentsOf(owner: string): Promise<Record<string, string[]>> {
  const store = documents();
  const found: Record<string, string[]> = {};
  for (const spec of garageContainers) {
    const page = await store.repository(spec).query({ partitionKey: owner, limit: 1000 });
    if (page.items.length) found[spec.name] = page.items.map((doc) => doc.id);
  }
  return found;
}

const today = new Date().toISOString().slice(0, 10);
const alice = { token: '', id: '', email: 'alice@example.com', owner: '' };
const bob = { token: '', id: '', email: 'bob@example.com', owner: '' };
const as = { alice: client(() => alice.token), bob: client(() => bob.token) };
// What the steps hand to each other.
const made = { vehicleId: '', modId: '', sessionId: '', legacySessionId: '', secondSessionId: '', keptVehicleId: '', bobVehicleId: '', bobSessionId: '' };
let png: Buffer;
const wav = wavBytes(1.5);

beforeAll(async () => {
  png = await pngBytes();
  host = await startLocalHost({ dataDir, env: LIMITS });
}, 300_000);

afterAll(() => stopLocalHost(host, dataDir), 60_000);

describe('the garage journey on the local host', () => {
  it('signs two users up through the seed routes, the PIN read from the development outbox', async () => {
    Object.assign(alice, await signUp(alice.email));
    Object.assign(bob, await signUp(bob.email));
    expect(alice.id).not.toBe(bob.id);
    expect((await as.alice.get('vehicles')).body).toEqual({ items: [] });
  });

  it('adds a vehicle and a mod', async () => {
    const vehicle = await as.alice.post('vehicles', { make: 'Honda', model: 'Civic', year: 1998, trim: 'EX' });
    expect(vehicle).toMatchObject({ status: 201, body: { make: 'Honda', model: 'Civic', trim: 'EX' } });
    made.vehicleId = vehicle.body.id as string;
    const mod = await as.alice.post(`vehicles/${made.vehicleId}/mods`, { name: 'Cold air intake', description: 'K&N', installed_on: today });
    expect(mod).toMatchObject({ status: 201, body: { name: 'Cold air intake', installed_on: today } });
    made.modId = mod.body.id as string;
    expect((await as.alice.get(`vehicles/${made.vehicleId}`)).body).toMatchObject({ id: made.vehicleId, mods: [{ id: made.modId, name: 'Cold air intake' }] });
    alice.owner = await ownerOf(made.vehicleId);
    expect(alice.owner).toContain(alice.id);
  });

  it('diagnoses (v2, multipart) with a PNG: the offline answer names the vehicle and the image', async () => {
    const reply = await as.alice.diagnose2({ q: 'Rough idle when cold', vehicle_id: made.vehicleId }, { image: { bytes: png, type: 'image/png', name: 'engine.png' } });
    expect(reply.status).toBe(200);
    expect(Object.keys(reply.body).sort()).toEqual(['answer', 'session_id']);
    expect(reply.body.answer).toContain('1998 Honda Civic EX');
    expect(reply.body.answer).toContain('Attached: an image');
    expect(reply.body.answer).toContain('Rough idle when cold');
    made.sessionId = reply.body.session_id as string;
  });

  it('continues the session with a WAV: the offline transcript states its duration and joins the question', async () => {
    const reply = await as.alice.diagnose2(
      { q: 'It also makes this noise', vehicle_id: made.vehicleId, session_id: made.sessionId },
      { audio: { bytes: wav, type: 'audio/wav', name: 'noise.wav' } },
    );
    expect(reply).toMatchObject({ status: 200, body: { session_id: made.sessionId } });
    expect(reply.body.answer).toContain('Attached: an audio clip');
  });

  it('lists the conversation: four messages, attachments described without their bytes', async () => {
    const reply = await as.alice.get(`conversation/${made.sessionId}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ id: made.sessionId, vehicle_id: made.vehicleId, route: 'v2', message_count: 4 });
    const messages = reply.body.messages as { sender: string; message: string; attachments: Json[]; transcript: string | null }[];
    expect(messages.map((message) => message.sender)).toEqual(['user', 'ai', 'user', 'ai']);
    expect(messages[0]).toMatchObject({ message: 'Rough idle when cold', transcript: null });
    expect(messages[0]!.attachments).toEqual([{ kind: 'image', content_type: 'image/png', bytes: png.byteLength }]);
    expect(messages[2]!.attachments).toEqual([{ kind: 'audio', content_type: 'audio/wav', bytes: wav.byteLength, duration_seconds: 1.5 }]);
    expect(messages[2]!.transcript).toContain('1.5 s of audio/wav audio');
    expect(messages[2]!.message).toBe(`It also makes this noise\n\n[Audio transcript]\n${messages[2]!.transcript}`);
    expect(messages.filter((message) => message.sender === 'ai').every((message) => message.attachments.length === 0)).toBe(true);
    // Neither attachment's bytes came back, in any encoding.
    const text = JSON.stringify(reply.body);
    for (const bytes of [png, wav]) {
      expect(text).not.toContain(bytes.toString('base64').slice(0, 40));
      expect(text).not.toContain(bytes.toString('base64url').slice(0, 40));
    }
  });

  it('answers on the lowercase legacy route with a JSON body', async () => {
    const reply = await as.alice.post('diagnose', { q: 'Check engine light', vehicle_id: made.vehicleId, image_base64: png.toString('base64') });
    expect(reply.status).toBe(200);
    expect(reply.body.answer).toContain('1998 Honda Civic EX');
    expect(reply.body.answer).toContain('Attached: an image');
    made.legacySessionId = reply.body.session_id as string;
    expect(made.legacySessionId).not.toBe(made.sessionId);
    expect((await as.alice.get(`conversation/${made.legacySessionId}`)).body).toMatchObject({ route: 'legacy', message_count: 2 });
  });

  it('holds the lowered v2 limits: the conversation limit, then the monthly one; refused turns store nothing', async () => {
    // Two turns are four messages, the most one conversation may hold.
    const third = await as.alice.diagnose2({ q: 'One more thing', vehicle_id: made.vehicleId, session_id: made.sessionId });
    expect(third).toMatchObject({ status: 402, body: { code: 'conversation_limit' } });

    // The legacy conversation does not count: this is the second v2 conversation of the month.
    const second = await as.alice.diagnose2({ q: 'Brakes squeal at low speed', vehicle_id: made.vehicleId });
    expect(second.status).toBe(200);
    made.secondSessionId = second.body.session_id as string;
    // (Run across 00:00 UTC on the 1st, the count would start again; that is the rule, not a flake to hide.)
    const thirdConversation = await as.alice.diagnose2({ q: 'Battery drains overnight', vehicle_id: made.vehicleId });
    expect(thirdConversation).toMatchObject({ status: 402, body: { code: 'monthly_limit' } });

    const first = await as.alice.get(`conversation/${made.sessionId}`);
    expect(first.body).toMatchObject({ message_count: 4 });
    expect(first.body.messages).toHaveLength(4);
    const listed = (await as.alice.get('conversations')).body.items as { id: string }[];
    expect(listed.map((conversation) => conversation.id).sort()).toEqual([made.sessionId, made.legacySessionId, made.secondSessionId].sort());
  });

  it('deletes the vehicle: its mods are gone, its conversations are kept and unlinked', async () => {
    expect((await as.alice.delete(`vehicles/${made.vehicleId}`)).status).toBe(204);
    expect((await as.alice.get(`vehicles/${made.vehicleId}`)).status).toBe(404);
    expect((await as.alice.get(`vehicles/${made.vehicleId}/mods`)).status).toBe(404);
    // Not only unreachable: the mod's document itself is gone.
    expect(await documents().repository(modsContainer).get(made.modId, alice.owner)).toBeUndefined();

    const listed = (await as.alice.get('conversations')).body.items as { id: string; vehicle_id: string | null }[];
    expect(listed).toHaveLength(3);
    expect(listed.every((conversation) => conversation.vehicle_id === null)).toBe(true);
    const kept = await as.alice.get(`conversation/${made.sessionId}`);
    expect(kept).toMatchObject({ status: 200, body: { vehicle_id: null, message_count: 4 } });
    expect(kept.body.messages).toHaveLength(4);
  });

  it('keeps each user to their own: the other user gets 404 for the first one\'s vehicle, mod, image and conversations', async () => {
    // Alice's garage at the time of her account's delete: a vehicle with a mod and an image.
    const kept = await as.alice.post('vehicles', { make: 'Mazda', model: 'MX-5', year: 1991 });
    made.keptVehicleId = kept.body.id as string;
    const keptMod = await as.alice.post(`vehicles/${made.keptVehicleId}/mods`, { name: 'Hard top' });
    const upload = await fetch(`${host.url}/api/vehicles/${made.keptVehicleId}/image`, { method: 'POST', headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'image/png' }, body: png });
    expect(upload.status).toBe(201);

    // Bob's own garage, which must outlive Alice's account.
    const bobVehicle = await as.bob.post('vehicles', { make: 'Ford', model: 'Focus', year: 2012 });
    made.bobVehicleId = bobVehicle.body.id as string;
    expect((await as.bob.post(`vehicles/${made.bobVehicleId}/mods`, { name: 'Tow bar' })).status).toBe(201);
    const bobTurn = await as.bob.diagnose2({ q: 'Clutch slips', vehicle_id: made.bobVehicleId });
    expect(bobTurn.status).toBe(200);
    made.bobSessionId = bobTurn.body.session_id as string;

    const notFound = { status: 404, body: { code: 'not_found' } };
    expect(await as.bob.get(`vehicles/${made.keptVehicleId}`)).toMatchObject(notFound);
    expect(await as.bob.get(`vehicles/${made.keptVehicleId}/mods`)).toMatchObject(notFound);
    expect(await as.bob.delete(`vehicles/${made.keptVehicleId}/mods/${keptMod.body.id as string}`)).toMatchObject(notFound);
    expect(await as.bob.get(`vehicles/${made.keptVehicleId}/image`)).toMatchObject(notFound);
    expect(await as.bob.delete(`vehicles/${made.keptVehicleId}`)).toMatchObject(notFound);
    for (const id of [made.sessionId, made.legacySessionId]) {
      expect(await as.bob.get(`conversation/${id}`)).toMatchObject(notFound);
      expect(await as.bob.delete(`conversation/${id}`)).toMatchObject(notFound);
    }
    // Neither Alice's vehicle nor her session can be borrowed for a diagnosis.
    expect(await as.bob.diagnose2({ q: 'Whose car is this', vehicle_id: made.keptVehicleId })).toMatchObject(notFound);
    expect(await as.bob.diagnose2({ q: 'Continue', vehicle_id: made.bobVehicleId, session_id: made.sessionId })).toMatchObject(notFound);
    expect(await as.bob.post('diagnose', { q: 'Continue', session_id: made.sessionId })).toMatchObject(notFound);

    // Bob sees only his own; Alice's data is untouched by his attempts.
    expect(((await as.bob.get('vehicles')).body.items as { id: string }[]).map((vehicle) => vehicle.id)).toEqual([made.bobVehicleId]);
    expect(((await as.bob.get('conversations')).body.items as { id: string }[]).map((conversation) => conversation.id)).toEqual([made.bobSessionId]);
    expect((await as.alice.get(`conversation/${made.sessionId}`)).body).toMatchObject({ message_count: 4 });
    expect((await as.alice.get(`vehicles/${made.keptVehicleId}/mods`)).body.items).toHaveLength(1);
  });

  it('deletes the account: 204, the token is refused, every garage document and image of the user is gone, the other user\'s data is intact', async () => {
    const before = await garageDocumentsOf(alice.owner);
    expect(Object.keys(before).sort()).toEqual(['garage-conversations', 'garage-messages', 'garage-mods', 'garage-vehicles']);
    const prefix = `${encodeURIComponent(alice.owner)}/`;
    expect(await images().list(IMAGES_CONTAINER, prefix)).toHaveLength(1);
    bob.owner = await ownerOf(made.bobVehicleId);
    const bobsBefore = await garageDocumentsOf(bob.owner);
    expect(Object.keys(bobsBefore).sort()).toEqual(['garage-conversations', 'garage-messages', 'garage-mods', 'garage-vehicles']);

    expect((await as.alice.delete('delete_account')).status).toBe(204);

    expect(await as.alice.get('vehicles')).toMatchObject({ status: 401 });
    expect(await as.alice.get(`conversation/${made.sessionId}`)).toMatchObject({ status: 401 });
    expect((await client(() => undefined).post('login', { email: alice.email, password: PASSWORD })).status).toBe(401);
    expect(await garageDocumentsOf(alice.owner)).toEqual({});
    expect(await images().list(IMAGES_CONTAINER, prefix)).toEqual([]);

    // Bob's garage, through the API and in the store.
    expect(await garageDocumentsOf(bob.owner)).toEqual(bobsBefore);
    expect(((await as.bob.get('vehicles')).body.items as { id: string }[]).map((vehicle) => vehicle.id)).toEqual([made.bobVehicleId]);
    expect((await as.bob.get(`vehicles/${made.bobVehicleId}/mods`)).body.items).toHaveLength(1);
    const bobConversation = await as.bob.get(`conversation/${made.bobSessionId}`);
    expect(bobConversation).toMatchObject({ status: 200, body: { vehicle_id: made.bobVehicleId, message_count: 2 } });
    expect(bobConversation.body.messages).toHaveLength(2);
  });
});

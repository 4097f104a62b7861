/**
 * The garage's vehicles and what hangs off them (mods, service records, reminders), on the
 * document store. Every read and write is in the owner's partition, so another user's ids are
 * simply absent (404). Every read goes through `garageRepository` (upgraded on read), every
 * write carries the container's current `schemaVersion`.
 */
import { readModifyWrite } from '../../../domain/documents.ts';
import { badRequest, conflict, notFound, PreconditionFailedError } from '../../../domain/errors.ts';
import { vinKey, vinProblem } from '../../../domain/garage/vin.ts';
import type { BlobStore, Clock, ContainerSpec, DocumentRepository, DocumentStore, IdSource, Stored } from '../../../domain/ports.ts';
import { unwrapToken, wrapToken, type PageRequest } from '../../../middleware/resources.ts';
import {
  conversationsContainer,
  garageRepository,
  modsContainer,
  remindersContainer,
  SCHEMA_VERSIONS,
  servicesContainer,
  vehiclesContainer,
  type ConversationDoc,
  type ModDoc,
  type Owned,
  type ReminderDoc,
  type ServiceRecordDoc,
  type VehicleDoc,
} from '../store.ts';
import type { VehiclesSettings } from './settings.ts';

export interface VehiclesDeps {
  documents: DocumentStore;
  blobs: BlobStore;
  clock: Clock;
  ids: IdSource;
  settings: { vehicles: VehiclesSettings };
}

/** A vehicle as sent (snake_case); optional fields may be null. */
export interface VehicleInput {
  make: string;
  model: string;
  year: number | string;
  trim?: string | null;
  vin?: string | null;
  mileage?: number | null;
  nickname?: string | null;
}
export type VehiclePatch = Partial<VehicleInput>;

/** How much of one vehicle's children a cascade or an inline list reads per query. */
const PAGE = 100;

export const schemaVersionOf = (container: ContainerSpec): number => SCHEMA_VERSIONS[container.name as keyof typeof SCHEMA_VERSIONS];

/** Every document of one partition matching `filters`, a page at a time (bounded by the caller's data). */
export async function eachPage<T extends Owned>(repository: DocumentRepository<T>, userId: string, field: string, value: string, visit: (items: Stored<T>[]) => Promise<void>): Promise<void> {
  let continuation: string | undefined;
  do {
    const page = await repository.query({ partitionKey: userId, filters: [{ field, op: '=', value }], limit: PAGE, ...(continuation ? { continuation } : {}) });
    await visit(page.items);
    continuation = page.continuation;
  } while (continuation);
}

/**
 * Acts on every document of one partition matching `field = value`, where the action takes each
 * out of the match (deletes or relinks it): so it re-reads the first page until none is left,
 * rather than following a continuation over documents it has just changed.
 */
export async function drain<T extends Owned>(repository: DocumentRepository<T>, userId: string, field: string, value: string, act: (item: Stored<T>) => Promise<unknown>): Promise<void> {
  for (;;) {
    const page = await repository.query({ partitionKey: userId, filters: [{ field, op: '=', value }], limit: PAGE });
    await Promise.all(page.items.map(act));
    if (page.items.length === 0 || !page.continuation) return;
  }
}

/** A page of one partition's documents (optionally of one vehicle), newest first, with a continuation bound to the query. */
export async function pageOfOwned<T extends Owned>(repository: DocumentRepository<T>, userId: string, page: PageRequest, filter?: { field: string; value: string }): Promise<{ items: Stored<T>[]; continuation?: string }> {
  const filters = filter ? [{ field: filter.field, op: '=' as const, value: filter.value }] : [];
  const shape = { filters, sort: '-createdAt' };
  const continuation = unwrapToken(shape, page.continuation);
  const found = await repository.query({ partitionKey: userId, filters, orderBy: { field: 'createdAt', direction: 'desc' }, limit: page.limit, ...(continuation !== undefined ? { continuation } : {}) });
  const token = wrapToken(shape, found.continuation);
  return { items: found.items, ...(token ? { continuation: token } : {}) };
}

export function vehicleRepositories(documents: DocumentStore) {
  return {
    vehicles: garageRepository<VehicleDoc>(documents, vehiclesContainer),
    mods: garageRepository<ModDoc>(documents, modsContainer),
    services: garageRepository<ServiceRecordDoc>(documents, servicesContainer),
    reminders: garageRepository<ReminderDoc>(documents, remindersContainer),
    conversations: garageRepository<ConversationDoc>(documents, conversationsContainer),
  };
}

const vinInvalid = (detail: string) => badRequest('invalid_vin', `The VIN ${detail}.`, [{ pointer: '/body/vin', detail }]);

/** The stored form of the client's optional text: trimmed, an empty string is none. */
const textOrNull = (value: string | null | undefined): string | null => (value === undefined || value === null || value.trim() === '' ? null : value.trim());

export type VehiclesService = ReturnType<typeof createVehiclesService>;

export function createVehiclesService(deps: VehiclesDeps) {
  const repos = vehicleRepositories(deps.documents);
  const { vehicles } = repos;
  const now = () => deps.clock.now().toISOString();
  const missing = (id: string) => notFound(`No vehicle ${id}.`);

  async function find(userId: string, id: string): Promise<Stored<VehicleDoc>> {
    const found = await vehicles.get(id, userId);
    if (!found) throw missing(id);
    return found;
  }

  /** A VIN is valid (domain/garage/vin.ts) and no other vehicle of this user has it, in any case (409). */
  async function checkVin(userId: string, vin: string | null, selfId?: string): Promise<void> {
    if (vin === null) return;
    const problem = vinProblem(vin);
    if (problem) throw vinInvalid(problem);
    // Not atomic: two simultaneous writes of one new VIN could both pass (Cosmos unique keys would also forbid two vehicles without a VIN).
    const page = await vehicles.query({ partitionKey: userId, filters: [{ field: 'vinKey', op: '=', value: vinKey(vin) }], limit: 2 });
    const other = page.items.find((vehicle) => vehicle.id !== selfId);
    if (other) throw conflict('duplicate_vin', `You already have a vehicle with VIN ${vinKey(vin)}: ${other.year} ${other.make} ${other.model}.`);
  }

  /** The stored fields of a complete input (POST, PUT). */
  function fieldsOf(input: VehicleInput) {
    const vin = textOrNull(input.vin);
    return {
      make: input.make.trim(),
      model: input.model.trim(),
      year: String(input.year),
      trim: textOrNull(input.trim),
      vin,
      vinKey: vin === null ? null : vinKey(vin),
      mileage: input.mileage ?? null,
      nickname: textOrNull(input.nickname),
    };
  }

  function merged(current: VehicleDoc, patch: VehiclePatch): VehicleInput {
    const pick = <K extends keyof VehicleInput>(key: K) => (key in patch ? patch[key] : current[key as keyof VehicleDoc]) as VehicleInput[K];
    return { make: pick('make'), model: pick('model'), year: pick('year'), trim: pick('trim'), vin: pick('vin'), mileage: pick('mileage'), nickname: pick('nickname') };
  }

  async function write(userId: string, id: string, input: VehicleInput, ifMatch: readonly string[] | undefined): Promise<Stored<VehicleDoc>> {
    const fields = fieldsOf(input);
    await checkVin(userId, fields.vin, id);
    const next = (current: Stored<VehicleDoc>): VehicleDoc => ({ ...current, ...fields, schemaVersion: schemaVersionOf(vehiclesContainer), updatedAt: now() });
    if (ifMatch && !ifMatch.includes('*')) {
      const current = await find(userId, id);
      if (!ifMatch.includes(current.etag)) throw new PreconditionFailedError();
      return vehicles.replace(next(current), current.etag);
    }
    const written = await readModifyWrite(vehicles, id, userId, (current) => {
      if (!current) throw missing(id);
      return next(current);
    });
    return written!;
  }

  return {
    repos,
    find,

    async list(userId: string, page: PageRequest) {
      return pageOfOwned(vehicles, userId, page);
    },

    async create(userId: string, input: VehicleInput): Promise<Stored<VehicleDoc>> {
      const fields = fieldsOf(input);
      await checkVin(userId, fields.vin);
      const stamp = now();
      return vehicles.create({ id: deps.ids.next(), userId, schemaVersion: schemaVersionOf(vehiclesContainer), ...fields, image: null, createdAt: stamp, updatedAt: stamp });
    },

    /** PUT: every field as sent; an optional field left out becomes null. */
    replace: (userId: string, id: string, input: VehicleInput, ifMatch?: readonly string[]) => write(userId, id, input, ifMatch),

    /** PATCH: the fields sent over the stored ones; null clears an optional field. */
    async update(userId: string, id: string, patch: VehiclePatch, ifMatch?: readonly string[]): Promise<Stored<VehicleDoc>> {
      const current = await find(userId, id);
      return write(userId, id, merged(current, patch), ifMatch);
    },

    /** Every mod of the vehicle, newest first (GET /vehicles/{id} includes them, as the upstream does). */
    async modsOf(userId: string, vehicleId: string): Promise<Stored<ModDoc>[]> {
      const all: Stored<ModDoc>[] = [];
      await eachPage(repos.mods, userId, 'vehicleId', vehicleId, async (items) => void all.push(...items));
      return all.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
    },

    /**
     * Deletes the vehicle's mods, service records, reminders and image, unlinks its conversations
     * (they are the user's history, as the seed's foreign keys kept them), then the vehicle itself:
     * last, so an interrupted delete is finished by repeating it.
     */
    async remove(userId: string, id: string): Promise<void> {
      const vehicle = await find(userId, id);
      for (const repository of [repos.mods, repos.services, repos.reminders] as DocumentRepository<Owned>[]) {
        await drain(repository, userId, 'vehicleId', id, (item) => repository.delete(item.id, userId));
      }
      await drain(repos.conversations, userId, 'vehicleId', id, (conversation) =>
        readModifyWrite(repos.conversations, conversation.id, userId, (current) =>
          current && current.vehicleId === id ? { ...current, vehicleId: null, schemaVersion: schemaVersionOf(conversationsContainer), updatedAt: now() } : undefined));
      if (vehicle.image) await deps.blobs.delete(deps.settings.vehicles.imagesContainer, vehicle.image.blobName);
      if (!(await vehicles.delete(id, userId))) throw missing(id);
    },
  };
}

/**
 * What hangs off a vehicle (mods, service records, reminders) as one kind of resource: listed,
 * created, merged and deleted under `/vehicles/{id}/<kind>`, each in its owner's partition and
 * tied to its vehicle (another vehicle's child id, or another user's, is 404). A kind says how
 * its snake_case wire fields map to its document and back.
 */
import { readModifyWrite } from '../../../domain/documents.ts';
import { notFound } from '../../../domain/errors.ts';
import type { ContainerSpec, Stored } from '../../../domain/ports.ts';
import type { PageRequest } from '../../../middleware/resources.ts';
import { garageRepository, type Owned } from '../store.ts';
import { createVehiclesService, pageOfOwned, schemaVersionOf, type VehiclesDeps } from './service.ts';

export interface ChildDoc extends Owned {
  vehicleId: string;
}

type Wire = Record<string, unknown>;

export interface ChildKind<T extends ChildDoc> {
  container: ContainerSpec;
  /** `mod`, `service record`, `reminder`: for messages. */
  label: string;
  /** Wire name -> document field, its default on create, and how a sent value is stored. */
  fields: Readonly<Record<string, { doc: keyof T & string; initial: unknown; store?: (value: unknown) => unknown }>>;
  /** Fields the server owns, set on create. */
  initial?: () => Partial<T>;
  /** Adjusts the document after a write's fields are applied (a reminder's due period). */
  settle?: (next: T, previous: T | undefined, context: WriteContext) => T;
  /** More of the document on the wire. */
  extraView?: (doc: Stored<T>) => Wire;
}

export interface WriteContext {
  /** The caller's e-mail, when its token carried one. */
  email: string | undefined;
}

export function createChildService<T extends ChildDoc>(deps: VehiclesDeps, kind: ChildKind<T>) {
  const repository = garageRepository<T>(deps.documents, kind.container);
  const vehicles = createVehiclesService(deps);
  const now = () => deps.clock.now().toISOString();
  const missing = (id: string) => notFound(`No ${kind.label} ${id} on this vehicle.`);

  function toView(doc: Stored<T>): Wire {
    const view: Wire = { id: doc.id, vehicle_id: doc.vehicleId };
    for (const [wire, field] of Object.entries(kind.fields)) view[wire] = doc[field.doc] ?? null;
    return { ...view, ...(kind.extraView?.(doc) ?? {}), created_at: doc.createdAt, updated_at: doc.updatedAt };
  }

  function apply(target: Wire, input: Wire, creating: boolean): void {
    for (const [wire, field] of Object.entries(kind.fields)) {
      if (wire in input) target[field.doc] = input[wire] === null || !field.store ? input[wire] : field.store(input[wire]);
      else if (creating) target[field.doc] = field.initial;
    }
  }

  async function owned(userId: string, vehicleId: string, id: string): Promise<Stored<T>> {
    const found = await repository.get(id, userId);
    if (!found || found.vehicleId !== vehicleId) throw missing(id);
    return found;
  }

  return {
    toView,

    async list(userId: string, vehicleId: string, page: PageRequest) {
      await vehicles.find(userId, vehicleId);
      const found = await pageOfOwned(repository, userId, page, { field: 'vehicleId', value: vehicleId });
      return { items: found.items.map(toView), ...(found.continuation ? { continuation: found.continuation } : {}) };
    },

    async create(userId: string, vehicleId: string, input: Wire, context: WriteContext): Promise<Wire> {
      await vehicles.find(userId, vehicleId);
      const stamp = now();
      const doc: Wire = { id: deps.ids.next(), userId, vehicleId, schemaVersion: schemaVersionOf(kind.container), ...(kind.initial?.() ?? {}), createdAt: stamp, updatedAt: stamp };
      apply(doc, input, true);
      const settled = kind.settle ? kind.settle(doc as unknown as T, undefined, context) : (doc as unknown as T);
      return toView(await repository.create(settled));
    },

    /** Merges the fields sent (null clears an optional one), as the upstream's PUT meant to. */
    async update(userId: string, vehicleId: string, id: string, patch: Wire, context: WriteContext): Promise<Wire> {
      await owned(userId, vehicleId, id);
      const written = await readModifyWrite(repository, id, userId, (current) => {
        if (!current || current.vehicleId !== vehicleId) throw missing(id);
        const next: Wire = { ...current, schemaVersion: schemaVersionOf(kind.container), updatedAt: now() };
        apply(next, patch, false);
        return kind.settle ? kind.settle(next as unknown as T, current, context) : (next as unknown as T);
      });
      return toView(written!);
    },

    async remove(userId: string, vehicleId: string, id: string): Promise<void> {
      await owned(userId, vehicleId, id);
      if (!(await repository.delete(id, userId))) throw missing(id);
    },
  };
}

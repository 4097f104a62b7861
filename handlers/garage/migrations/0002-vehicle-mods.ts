/**
 * Revision 2: a vehicle's mods move from the array embedded in the vehicle (vehicles version 1)
 * into their own `garage-mods` documents (mods version 1); vehicles become version 2.
 */
import { forEachAtVersion, forEachDocument, unstored } from '../../../domain/migrations/documents.ts';
import { defineMigration } from '../../../kernel/migrations.ts';
import { modsContainer, vehiclesContainer } from '../containers.ts';
import type { Stamped } from './stamped.ts';

interface EmbeddedMod {
  id?: string;
  name: string;
  description?: string;
  installedOn?: string | null;
  createdAt?: string;
  updatedAt?: string;
}
interface VehicleV1 extends Stamped {
  mods?: EmbeddedMod[];
}
interface ModV1 extends Stamped {
  vehicleId: string;
  name: string;
  description: string;
  installedOn: string | null;
}

const vehicleV2 = (vehicle: VehicleV1): Stamped => {
  const { mods: _mods, ...rest } = vehicle;
  return { ...rest, schemaVersion: 2 };
};

/** An embedded mod as a document; without an id of its own it gets a stable one, so a re-run rewrites rather than duplicates it. */
const modDocument = (vehicle: VehicleV1, mod: EmbeddedMod, index: number): ModV1 => ({
  id: mod.id ?? `${vehicle.id}-mod-${index + 1}`,
  userId: vehicle.userId,
  vehicleId: vehicle.id,
  name: mod.name,
  description: mod.description ?? '',
  installedOn: mod.installedOn ?? null,
  schemaVersion: 1,
  createdAt: mod.createdAt ?? vehicle.createdAt,
  updatedAt: mod.updatedAt ?? mod.createdAt ?? vehicle.createdAt,
});

export default defineMigration({
  id: '0002-vehicle-mods',
  description: 'mods move out of the vehicle into their own garage-mods documents',
  source: import.meta.url,
  up: async (context) => {
    await context.documents.ensure([modsContainer]);
    const vehicles = context.documents.repository<VehicleV1>(vehiclesContainer);
    const mods = context.documents.repository<ModV1>(modsContainer);
    await forEachAtVersion<VehicleV1>(context, vehiclesContainer, 1, async (vehicle) => {
      // The mods first: a run stopped in between leaves the vehicle at version 1 for the next run.
      for (const [index, mod] of (vehicle.mods ?? []).entries()) await mods.upsert(modDocument(vehicle, mod, index));
      await vehicles.replace(vehicleV2(unstored(vehicle)), vehicle.etag);
    });
  },
  down: async (context) => {
    const vehicles = context.documents.repository<VehicleV1>(vehiclesContainer);
    const mods = context.documents.repository<ModV1>(modsContainer);
    await forEachAtVersion<VehicleV1>(context, vehiclesContainer, 2, async (vehicle) => {
      const owned: ModV1[] = [];
      const ofVehicle = { partitionKey: vehicle.userId, filters: [{ field: 'vehicleId', op: '=' as const, value: vehicle.id }] };
      await forEachDocument(mods, { ...ofVehicle, orderBy: { field: 'createdAt', direction: 'asc' }, pageSize: context.pageSize }, async (mod) => {
        owned.push(unstored(mod));
      });
      const embedded = owned.map(({ id, name, description, installedOn, createdAt, updatedAt }) => ({ id, name, description, installedOn, createdAt, updatedAt }));
      // The vehicle first: a run stopped in between leaves the mods embedded, and orphan documents at worst.
      await vehicles.replace({ ...unstored(vehicle), schemaVersion: 1, mods: embedded }, vehicle.etag);
      for (const mod of owned) await mods.delete(mod.id, vehicle.userId);
    });
  },
  reads: { [vehiclesContainer.name]: { from: 1, upgrade: (document) => vehicleV2(document as VehicleV1) } },
});

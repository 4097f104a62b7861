/**
 * The garage's settings, read once at bind time: each area's own, under its name, so a route
 * reads `deps.settings.vehicles`. A bad value in any area stops start-up, naming the variable.
 */
import type { Env } from '../../kernel/env.ts';
import { loadVehiclesSettings, VEHICLES_VARIABLES, type VehiclesSettings } from './vehicles/settings.ts';

export interface GarageSettings {
  vehicles: VehiclesSettings;
}

export const GARAGE_VARIABLES = [...VEHICLES_VARIABLES] as const;

export function loadGarageSettings(env: Env): GarageSettings {
  return { vehicles: loadVehiclesSettings(env) };
}

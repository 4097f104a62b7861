/**
 * The garage's settings, read once at bind time: each area's own, under its name, so a route
 * reads `deps.settings.vehicles` or `deps.settings.diagnose`. A bad value in any area stops
 * start-up, naming the variable.
 */
import type { Env } from '../../kernel/env.ts';
import { DIAGNOSE_VARIABLES, loadDiagnoseSettings, type DiagnoseSettings } from './diagnose/settings.ts';
import { loadVehiclesSettings, VEHICLES_VARIABLES, type VehiclesSettings } from './vehicles/settings.ts';

export interface GarageSettings {
  vehicles: VehiclesSettings;
  diagnose: DiagnoseSettings;
}

export const GARAGE_VARIABLES = [...VEHICLES_VARIABLES, ...DIAGNOSE_VARIABLES] as const;

export function loadGarageSettings(env: Env): GarageSettings {
  return { vehicles: loadVehiclesSettings(env), diagnose: loadDiagnoseSettings(env) };
}

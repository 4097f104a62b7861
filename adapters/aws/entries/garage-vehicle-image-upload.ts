// Generated from the function table by `npm run generate`. Do not edit by hand.
// chunks: chunks-garage
import { uploadVehicleImage as factory } from '../../../handlers/garage/vehicles/vehicles.routes.ts';
import service from '../../../handlers/garage/index.ts';
import { lambdaEntry } from '../lambda-entry.ts';

export const handler = lambdaEntry("garage-vehicle-image-upload", factory, [service]);

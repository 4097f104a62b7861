// Generated from the function table by `npm run generate`. Do not edit by hand.
// chunks: chunks-garage
import { deleteReminder as factory } from '../../../handlers/garage/vehicles/vehicles.routes.ts';
import service from '../../../handlers/garage/index.ts';
import { lambdaEntry } from '../lambda-entry.ts';

export const handler = lambdaEntry("garage-reminders-delete", factory, [service]);

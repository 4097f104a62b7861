// Generated from the function table by `npm run generate`. Do not edit by hand.
// chunks: chunks-system
import { purgeExpired as factory } from '../../../handlers/system/purge.timer.ts';
import { services } from '../../../app/services.ts';
import { lambdaEntry } from '../lambda-entry.ts';

export const handler = lambdaEntry("purge-expired", factory, services);

// Generated from the function table by `npm run generate`. Do not edit by hand.
// chunks: chunks-wardrobe
import { weeklyDigest as factory } from '../../../handlers/wardrobe/digest/weekly.timer.ts';
import service from '../../../handlers/wardrobe/index.ts';
import { lambdaEntry } from '../lambda-entry.ts';

export const handler = lambdaEntry("wardrobe-digest-weekly", factory, [service]);

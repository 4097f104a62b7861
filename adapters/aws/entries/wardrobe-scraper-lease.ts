// Generated from the function table by `npm run generate`. Do not edit by hand.
// chunks: chunks-wardrobe
import { lease as factory } from '../../../handlers/wardrobe/scraper/discover.routes.ts';
import service from '../../../handlers/wardrobe/index.ts';
import { lambdaEntry } from '../lambda-entry.ts';

export const handler = lambdaEntry("wardrobe-scraper-lease", factory, [service]);

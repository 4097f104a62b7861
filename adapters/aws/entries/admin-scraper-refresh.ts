// Generated from the function table by `npm run generate`. Do not edit by hand.
// chunks: chunks-wardrobe
import { refresh as factory } from '../../../handlers/wardrobe/scraper/scraper.routes.ts';
import service from '../../../handlers/wardrobe/index.ts';
import { lambdaEntry } from '../lambda-entry.ts';

export const handler = lambdaEntry("admin-scraper-refresh", factory, [service]);

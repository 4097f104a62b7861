// Generated from the function table by `npm run generate`. Do not edit by hand.
// chunks: chunks-wardrobe
import { dailyRefresh as factory } from '../../../handlers/wardrobe/scraper/daily.timer.ts';
import service from '../../../handlers/wardrobe/index.ts';
import { lambdaEntry } from '../lambda-entry.ts';

export const handler = lambdaEntry("wardrobe-scraper-refresh-daily", factory, [service]);

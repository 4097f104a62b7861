// Generated from the function table by `npm run generate`. Do not edit by hand.
// chunks: chunks-wardrobe
import { dailyRun as factory } from '../../../handlers/wardrobe/scraper/daily.timer.ts';
import service from '../../../handlers/wardrobe/index.ts';
import { lambdaEntry } from '../lambda-entry.ts';

export const handler = lambdaEntry("wardrobe-scraper-run-daily", factory, [service]);

// Generated from the function table by `npm run generate`. Do not edit by hand.
import { worker as factory } from '../../../jobs/functions.ts';
import { services } from '../../../app/services.ts';
import { lambdaEntry } from '../lambda-entry.ts';

const modules = {
  'handlers/system/purge.job': () => import('../../../handlers/system/purge.job.ts'),
  'handlers/wardrobe/taste/taste.job': () => import('../../../handlers/wardrobe/taste/taste.job.ts'),
  'handlers/wardrobe/digest/digest.job': () => import('../../../handlers/wardrobe/digest/digest.job.ts'),
  'handlers/wardrobe/scraper/refresh.job': () => import('../../../handlers/wardrobe/scraper/refresh.job.ts'),
};

export const handler = lambdaEntry("jobs-system-jobs", factory, services, modules);

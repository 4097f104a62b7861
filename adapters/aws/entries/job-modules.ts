// Generated from the job list by `npm run generate`. Do not edit by hand.
import type { ModuleLoaders } from '../../../app/app.ts';

export const jobModules: ModuleLoaders = {
  'handlers/system/purge.job': () => import('../../../handlers/system/purge.job.ts'),
  'handlers/wardrobe/drafts/draft.job': () => import('../../../handlers/wardrobe/drafts/draft.job.ts'),
  'handlers/wardrobe/taste/taste.job': () => import('../../../handlers/wardrobe/taste/taste.job.ts'),
  'handlers/wardrobe/digest/digest.job': () => import('../../../handlers/wardrobe/digest/digest.job.ts'),
  'handlers/wardrobe/scraper/run.job': () => import('../../../handlers/wardrobe/scraper/run.job.ts'),
  'handlers/capabilities/run.job': () => import('../../../handlers/capabilities/run.job.ts'),
  'handlers/capabilities/callback.job': () => import('../../../handlers/capabilities/callback.job.ts'),
  'handlers/voice/enroll.job': () => import('../../../handlers/voice/enroll.job.ts'),
  'handlers/voice/synthesize.job': () => import('../../../handlers/voice/synthesize.job.ts'),
  'handlers/voice/webhook.job': () => import('../../../handlers/voice/webhook.job.ts'),
};

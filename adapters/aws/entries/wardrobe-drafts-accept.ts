// Generated from the function table by `npm run generate`. Do not edit by hand.
// chunks: chunks-wardrobe
import { acceptDraft as factory } from '../../../handlers/wardrobe/drafts/drafts.routes.ts';
import service from '../../../handlers/wardrobe/index.ts';
import { lambdaEntry } from '../lambda-entry.ts';

export const handler = lambdaEntry("wardrobe-drafts-accept", factory, [service]);

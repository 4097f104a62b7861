// Generated from the function table by `npm run generate`. Do not edit by hand.
import { vaultInsights as factory } from '../../../handlers/wardrobe/items/insights.routes.ts';
import service from '../../../handlers/wardrobe/index.ts';
import { lambdaEntry } from '../lambda-entry.ts';

export const handler = lambdaEntry("insights-vault", factory, [service]);

// Generated from the function table by `npm run generate`. Do not edit by hand.
// chunks: chunks-wardrobe
import { stylistRecommendations as factory } from '../../../handlers/wardrobe/stylist/stylist.routes.ts';
import service from '../../../handlers/wardrobe/index.ts';
import { lambdaEntry } from '../lambda-entry.ts';

export const handler = lambdaEntry("stylist-recommendations", factory, [service]);

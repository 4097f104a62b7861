/** The legacy non-streaming stylist (contract section 6.7; no client calls it today). */
import { defineFunction, type FunctionDef } from '../../../kernel/functions.ts';
import { recommendationsRequest, recommendationsResponse } from './schemas.ts';

const problem = { description: 'Problem details (application/problem+json)' };

export const stylistRecommendations = defineFunction({
  name: 'stylist-recommendations',
  trigger: {
    kind: 'http', method: 'POST', route: 'stylist/recommendations', auth: 'user', rateLimit: 'synthesis',
    summary: "Outfits from the caller's finalised items, filtered by category, wears and colours; only the caller's items are ever returned.",
    request: { body: recommendationsRequest },
    responses: {
      200: { description: 'The outfits (an empty array when no item passes the filters)', schema: recommendationsResponse },
      400: { description: '`empty_wardrobe` (no finalised items), `validation_failed` (also minWears above maxWears)' },
      401: problem,
      429: problem,
      502: { description: '`model_unavailable`, `model_invalid_output`' },
      503: { description: '`model_rate_limited`' },
      504: { description: '`model_timeout`' },
    },
  },
  handler: 'handlers/wardrobe/stylist/stylist.routes#stylistRecommendations',
});

export const stylistFunctions: readonly FunctionDef[] = [stylistRecommendations];

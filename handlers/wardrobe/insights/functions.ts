/** The wardrobe's vault insights route (contract section 7.4). */
import { defineFunction, type FunctionDef } from '../../../kernel/functions.ts';
import { vaultInsightsResponse, vaultQuery } from './schemas.ts';

const problem = { description: 'Problem details (application/problem+json)' };

export const vaultInsights = defineFunction({
  name: 'insights-vault',
  trigger: {
    kind: 'http', method: 'GET', route: 'insights/vault', auth: 'user',
    summary: "Cost-per-wear intelligence and behavioural insights over the caller's finalised items. ETag = quoted SHA-256 of the sorted-key JSON; a matching If-None-Match answers 304.",
    request: { query: vaultQuery },
    responses: {
      200: { description: 'The insights (ETag, Cache-Control: no-cache, no-store, max-age=0, must-revalidate)', schema: vaultInsightsResponse },
      304: { description: 'Not modified: If-None-Match named the current ETag' },
      400: { description: '`validation_failed`: windowDays is not an integer in 1..3650, or targetCpw not a number above 0' },
      401: problem,
    },
  },
  handler: 'handlers/wardrobe/insights/insights.routes#vaultInsights',
});

export const insightsFunctions: readonly FunctionDef[] = [vaultInsights];

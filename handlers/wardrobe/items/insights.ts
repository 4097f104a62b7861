/** GET /api/insights/vault: the pure vault analytics over every active item of the caller. */
import type { HttpLambda } from '../../../kernel/functions.ts';
import { getDocumentStore, getHttpPlatform, randomIds, systemClock } from '../../../app/composition.ts';
import { itemFieldsOf } from '../../../domain/wardrobe/item-rules.ts';
import { vaultInsights } from '../../../domain/wardrobe/insights.ts';
import { httpHandler, json, type HttpPlatform } from '../../../middleware/http-stack.ts';
import { vaultInsights as def } from './functions.ts';
import { ownerOf } from '../../../middleware/resources.ts';
import { createItemsService, type ItemsDeps } from './service.ts';

export function createHandler(deps: ItemsDeps & { platform: HttpPlatform }): HttpLambda {
  const service = createItemsService(deps);
  return httpHandler(
    def,
    async (_event, context) => {
      const items = await service.all(ownerOf(context), 'active');
      // Documents other features wrote may lack optional fields; the maths sees them with their defaults.
      const normalised = items.map((item) => ({ ...item, ...itemFieldsOf(item), wearCount: item.wearCount ?? 0, lastWornAt: item.lastWornAt ?? null }));
      return json(200, vaultInsights(normalised, deps.clock.now()));
    },
    deps.platform,
  );
}

export const handler: HttpLambda = createHandler({ platform: getHttpPlatform(), documents: getDocumentStore(), clock: systemClock, ids: randomIds });

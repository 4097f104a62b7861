/** GET /api/insights/vault: the pure vault analytics over every active item of the caller. */
import { itemFieldsOf } from '../../../domain/wardrobe/item-rules.ts';
import { vaultInsights as computeInsights } from '../../../domain/wardrobe/insights.ts';
import { json, type PorticoHttpHandler } from '../../../middleware/http-stack.ts';
import { ownerOf } from '../../../middleware/resources.ts';
import { createItemsService, type ItemsDeps } from './legacy.ts';

export const vaultInsights = (deps: ItemsDeps): PorticoHttpHandler => {
  const service = createItemsService(deps);
  return async (_event, context) => {
    const items = await service.all(ownerOf(context), 'active');
    // Documents other features wrote may lack optional fields; the maths sees them with their defaults.
    const normalised = items.map((item) => ({ ...item, ...itemFieldsOf(item), wearCount: item.wearCount ?? 0, lastWornAt: item.lastWornAt ?? null }));
    return json(200, computeInsights(normalised, deps.clock.now()));
  };
};

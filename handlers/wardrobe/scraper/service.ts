/**
 * The scraper's application logic: importing a product page as a draft item, and re-checking an
 * imported item's price. The page comes through the PageFetcher port (`deps.pageFetcher`, the
 * SSRF-safe adapter in production) built with the scraper's fetch settings, the product from
 * the pure parser, the draft's fields from the items' own rules.
 */
import { readModifyWrite } from '../../../domain/documents.ts';
import { AppError } from '../../../domain/errors.ts';
import type { Clock, DocumentStore, IdSource } from '../../../domain/ports.ts';
import { newItemFields } from '../../../domain/wardrobe/item-rules.ts';
import type { PageFetcher, PageFetchSettings } from '../../../domain/wardrobe/page-fetch.ts';
import { draftFromProduct, refreshedPrice } from '../../../domain/wardrobe/product-draft.ts';
import { parseProductPage } from '../../../domain/wardrobe/product-page.ts';
import { itemsContainer, type WardrobeItemDoc } from '../items/store.ts';
import { toView, type ItemView } from '../items/legacy.ts';
import { priceHistoryContainer, scrapedSourcesContainer, type PriceChangeDoc, type ScrapedSourceDoc } from './store.ts';

export interface ScraperServiceDeps {
  documents: DocumentStore;
  clock: Clock;
  ids: IdSource;
  /** The page fetcher port, built with `settings.scraper.fetch`. */
  pageFetcher(settings: PageFetchSettings): PageFetcher;
  settings: { scraper: { fetch: PageFetchSettings } };
}

export const noProductData = () => new AppError(422, 'no_product_data', 'The page has no product data: no JSON-LD Product and no OpenGraph product tags with a title.');

/** What a price check did: `changed` wrote a new price (and a history entry), `gone` found the item deleted. */
export type RefreshOutcome = 'changed' | 'unchanged' | 'unpriced' | 'gone';

export type ScraperService = ReturnType<typeof createScraperService>;

export function createScraperService(deps: ScraperServiceDeps) {
  const fetcher = deps.pageFetcher(deps.settings.scraper.fetch);
  const items = deps.documents.repository<WardrobeItemDoc>(itemsContainer);
  const sources = deps.documents.repository<ScrapedSourceDoc>(scrapedSourcesContainer);
  const history = deps.documents.repository<PriceChangeDoc>(priceHistoryContainer);

  return {
    /** Fetches the page and creates a draft item from its product; refusals and fetch failures throw before anything is stored. */
    async importProduct(userId: string, url: string): Promise<ItemView> {
      const page = await fetcher.fetchPage(url);
      const product = parseProductPage(page.html, page.url);
      const input = product && draftFromProduct(product);
      if (!input) throw noProductData();
      const at = deps.clock.now();
      const stamp = at.toISOString();
      const id = deps.ids.next();
      const doc: WardrobeItemDoc = {
        ...newItemFields(input, at),
        id,
        userId,
        wearCount: 0,
        lastWornAt: null,
        source: { url: page.url, importedAt: stamp, checkedAt: stamp },
        createdAt: stamp,
        updatedAt: stamp,
      };
      // The source record first: if the item then fails to be written, the refresh drops the orphan;
      // the other order could leave an imported item the refresh never sees.
      await sources.upsert({ id, userId, itemId: id, url: page.url, importedAt: stamp });
      return toView(await items.create(doc));
    },

    /**
     * Re-reads the item's page and records the check: a new price (ETag-guarded, against the
     * item as it is when written) with a history entry `<itemId>:<runId>`, or only `checkedAt`.
     */
    async refreshItem(userId: string, itemId: string, runId: string, signal?: AbortSignal): Promise<RefreshOutcome> {
      const item = await items.get(itemId, userId);
      if (!item?.source) {
        await sources.delete(itemId, userId);
        return 'gone';
      }
      const page = await fetcher.fetchPage(item.source.url, signal);
      const product = parseProductPage(page.html, page.url);
      if (!product) throw noProductData();
      const found = refreshedPrice(product);
      let outcome: RefreshOutcome = 'gone';
      await readModifyWrite(items, itemId, userId, async (current) => {
        if (!current?.source) return undefined;
        const checkedAt = deps.clock.now().toISOString();
        const changed = found !== undefined && (found.price !== current.price || found.currency !== current.currency);
        outcome = found === undefined ? 'unpriced' : changed ? 'changed' : 'unchanged';
        if (!changed) return { ...current, source: { ...current.source, checkedAt } };
        // Written before the item, under an id per run: a retry rewrites the same entry, and a
        // crash between the two writes cannot lose the change (the retry still sees it).
        await history.upsert({ id: `${itemId}:${runId}`, userId, itemId, checkedAt, previous: { price: current.price, currency: current.currency }, price: found.price, currency: found.currency });
        return { ...current, price: found.price, currency: found.currency, source: { ...current.source, checkedAt }, updatedAt: checkedAt };
      });
      if (outcome === 'gone') await sources.delete(itemId, userId);
      return outcome;
    },
  };
}

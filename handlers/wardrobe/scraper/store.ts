/**
 * The wardrobe's scraper containers, both partitioned by the owner's user id. Imported items
 * themselves live in `wardrobe-items`; these hold what only the scraper needs.
 */
import type { ContainerSpec, Document } from '../../../domain/ports.ts';

/**
 * One record per imported item (id = the item's id): what the refresh pages through, since the
 * items container can only filter on top-level fields. A record whose item is gone is dropped
 * by the next refresh.
 */
export const scrapedSourcesContainer: ContainerSpec = { name: 'wardrobe-scraped-sources', partitionKey: 'userId' };

export type ScrapedSourceDoc = Document & {
  userId: string;
  itemId: string;
  url: string;
  importedAt: string;
};

/** One record per price change a refresh saw (id = `<itemId>:<run>`, so a retried job writes it once). */
export const priceHistoryContainer: ContainerSpec = { name: 'wardrobe-price-history', partitionKey: 'userId' };

export type PriceChangeDoc = Document & {
  userId: string;
  itemId: string;
  checkedAt: string;
  previous: { price: number | null; currency: string | null };
  price: number;
  currency: string;
};

export const scraperContainers: readonly ContainerSpec[] = [scrapedSourcesContainer, priceHistoryContainer];

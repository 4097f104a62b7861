/**
 * The discover feed's containers. Sources and scraped items are shared by everyone, in the one
 * partition `global`; what belongs to a user (subscriptions, votes, ingest strikes) is
 * partitioned by their user id, so erasing a user takes it with them.
 */
import { createHash } from 'node:crypto';
import type { ContainerSpec, Document } from '../../../domain/ports.ts';
import type { ScrapedItem, ScraperSource, Signal, SortKeys, SourceType } from '../../../domain/wardrobe/discover.ts';

/** Sources, id = `brand-<slug>` or `reddit-<subreddit>`, all in partition `global`. */
export const sourcesContainer: ContainerSpec = { name: 'wardrobe-scraper-sources', partitionKey: 'userId' };
export type SourceDoc = Document & ScraperSource & { userId: 'global' };

/** Feed items, all in partition `global`, with the keyset sort keys beside the client fields. */
export const scrapedItemsContainer: ContainerSpec = { name: 'wardrobe-scraped-items', partitionKey: 'userId' };
export type ScrapedItemDoc = Document & ScrapedItem & SortKeys;

/** A user's subscription to a source (id = the source id). */
export const subscriptionsContainer: ContainerSpec = { name: 'wardrobe-scraper-subscriptions', partitionKey: 'userId' };
export type SubscriptionDoc = Document & { userId: string; sourceId: string; subscribedAt: string };

/** A user's vote on an item (id = the item id): one per user and item, so voting again changes it. */
export const votesContainer: ContainerSpec = { name: 'wardrobe-scraper-votes', partitionKey: 'userId' };
export type VoteDoc = Document & { userId: string; itemId: string; signal: Signal; galleryImageIndex: number | null; votedAt: string };

/** A user's refused ingests (id = `ingest`): `strikes` in the last day, and `bannedAt` once there were too many. */
export const ingestStandingContainer: ContainerSpec = { name: 'wardrobe-scraper-standing', partitionKey: 'userId' };
export type StandingDoc = Document & { userId: string; strikes: string[]; bannedAt: string | null };
export const STANDING_ID = 'ingest';

export const scraperContainers: readonly ContainerSpec[] = [sourcesContainer, scrapedItemsContainer, subscriptionsContainer, votesContainer, ingestStandingContainer];

/** `<sourceType>-<16 hex>` from what makes an item itself (a product's URL; a source and post id): scraping it again finds the same item. */
export const scrapedItemId = (sourceType: SourceType, key: string) => `${sourceType}-${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;

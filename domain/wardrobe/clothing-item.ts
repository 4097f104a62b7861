/**
 * The PluckIt clothing item, in the shape the web and iOS clients read and write
 * (../shared/contracts/pluckit.md section 5). Stored in the `wardrobe-items` container,
 * partitioned by `userId`. Drafts (uploads under review) are items with a `draftStatus`;
 * finalised items have none.
 *
 * Timestamps are `yyyy-MM-ddTHH:mm:ssZ` (domain/time.ts isoSeconds): the iOS decoder refuses
 * fractional seconds.
 */

export type ItemCondition = 'New' | 'Excellent' | 'Good' | 'Fair';
export type DraftStatus = 'Processing' | 'Ready' | 'Failed';
export type CareInstruction = 'dry_clean' | 'wash' | 'iron' | 'bleach';

export interface ItemColour {
  name: string;
  /** `#rrggbb`. */
  hex: string;
}

export interface ItemPrice {
  amount: number;
  /** ISO 4217; "USD" when the client sends none. */
  originalCurrency: string;
  purchaseDate?: string;
}

export interface WeatherSnapshot {
  tempCelsius: number;
  conditions: string;
}

export interface WearEvent {
  occurredAt: string;
  occasion?: string;
  weatherSnapshot?: WeatherSnapshot;
}

export interface ItemSize {
  letter?: string;
  waist?: number;
  inseam?: number;
  shoeSize?: number;
  system?: string;
}

/** What a client sees (and sends back on PUT). */
export interface ClothingItem {
  /** 32 hex (POST) or `upload-<32 hex>` (upload). */
  id: string;
  /** The owner: always the caller on write, whatever the body says. */
  userId: string;
  /** A fresh short-lived read URL, made on every read; absent while a draft is Processing. */
  imageUrl?: string;
  tags: string[];
  aestheticTags?: string[];
  colours: ItemColour[];
  brand?: string;
  category?: string;
  notes?: string;
  price?: ItemPrice;
  dateAdded?: string;
  wearCount: number;
  lastWornAt?: string;
  /** The newest 30 wears, oldest first. */
  wearEvents?: WearEvent[];
  /** The clientEventId of the latest wear: a repeat of it changes nothing. */
  lastWearActionId?: string;
  estimatedMarketValue?: number;
  purchaseDate?: string;
  careInfo?: CareInstruction[];
  condition?: ItemCondition;
  size?: ItemSize;
  draftStatus?: DraftStatus;
  draftError?: string;
  rawImageBlobUrl?: string;
  draftCreatedAt?: string;
  draftUpdatedAt?: string;
  isWishlisted: boolean;
}

/**
 * The stored document: the client shape without the signed URLs, plus where the images live.
 * `imageUrl`/`rawImageBlobUrl` are made from these names on each read and never stored.
 */
export interface StoredClothingItem extends Omit<ClothingItem, 'imageUrl' | 'rawImageBlobUrl'> {
  /** Blob name of the processed image in the media images container. */
  imageBlob?: string;
  /** Blob name of the raw upload in the media archive container (drafts, kept until the item is deleted). */
  rawImageBlob?: string;
  /** An external image (a scraped product), shown as is. */
  externalImageUrl?: string;
}

/** At most this many wear events are kept on the item (the wear history holds them all). */
export const MAX_WEAR_EVENTS = 30;

/** Finalised items only: drafts never show in the wardrobe list, insights or the digest. */
export const isFinalised = (item: Pick<StoredClothingItem, 'draftStatus'>): boolean => item.draftStatus === undefined;

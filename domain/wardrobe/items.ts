/** A wardrobe item as every wardrobe feature sees it; stored in the `wardrobe-items` container, partitioned by user. */

export interface ItemColour {
  name: string;
  /** `#rrggbb`. */
  hex: string;
}

export interface WardrobeItem {
  id: string;
  /** The owner, and the partition key. */
  userId: string;
  name: string;
  category: string;
  colours: ItemColour[];
  brand: string | null;
  /** A decimal amount in `currency`, as entered. */
  price: number | null;
  /** ISO 4217, e.g. `EUR`. */
  currency: string | null;
  /** An imageId from POST /api/process-image, or an external image URL (scraped items). */
  imageId: string | null;
  imageUrl: string | null;
  tags: string[];
  /** `YYYY-MM-DD`. */
  purchaseDate: string | null;
  wearCount: number;
  /** ISO timestamp of the latest wear. */
  lastWornAt: string | null;
  /** A draft awaits the user's review (created by the scraper). */
  status: 'active' | 'draft';
  /** Where a scraped item came from, for price refreshes. */
  source: { url: string; importedAt: string; checkedAt: string | null } | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * PluckIt collections (../shared/contracts/pluckit.md section 6.5): a named set of the owner's
 * items that other users may join. Pure rules: who sees a collection, and how the clients'
 * update bodies (camelCase or PascalCase) become a change.
 */

/** A collection as both clients read it. */
export interface Collection {
  id: string;
  ownerId: string;
  name: string;
  description?: string;
  isPublic: boolean;
  clothingItemIds: string[];
  memberUserIds: string[];
  createdAt: string;
}

export const COLLECTION_LIMITS = { name: 200, description: 2000, items: 500, members: 1000 } as const;

/** Only the owner and the users who joined may read a collection; to anyone else it does not exist. */
export const canView = (collection: Pick<Collection, 'ownerId' | 'memberUserIds'>, userId: string): boolean =>
  collection.ownerId === userId || collection.memberUserIds.includes(userId);

/** The upstream's message, which the clients show as is. */
export const NAME_REQUIRED = 'Name is required.';

/** A name as stored: trimmed, inner whitespace collapsed; undefined when blank. */
export function cleanName(name: unknown): string | undefined {
  if (typeof name !== 'string') return undefined;
  const clean = name.trim().replace(/\s+/g, ' ');
  return clean || undefined;
}

export interface CollectionChange {
  name?: string;
  /** `null` clears it. */
  description?: string | null;
  isPublic?: boolean;
}

/**
 * PUT /api/collections/{id} is partial and takes camelCase or PascalCase keys (the .NET API
 * matched them case-insensitively); camelCase wins when a body holds both. A missing or null
 * field is unchanged, as upstream; an empty description clears it.
 */
export function collectionChange(body: Record<string, unknown>): CollectionChange & { blankName: boolean } {
  const pick = (camel: string) => body[camel] ?? body[camel[0]!.toUpperCase() + camel.slice(1)];
  const name = pick('name');
  const description = pick('description');
  const isPublic = pick('isPublic');
  const change: CollectionChange = {};
  const cleaned = cleanName(name);
  if (cleaned !== undefined) change.name = cleaned;
  if (typeof description === 'string') change.description = description.trim() || null;
  if (typeof isPublic === 'boolean') change.isPublic = isPublic;
  return { ...change, blankName: typeof name === 'string' && cleaned === undefined };
}

/** Newest first, then by id, so the list is stable. */
export const newestFirst = (a: Collection, b: Collection): number => (a.createdAt === b.createdAt ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.createdAt < b.createdAt ? 1 : -1);

/**
 * The mood catalogue's container. Moods are not any user's: they live in one partition,
 * `userId: "global"` (as the upstream's global pool does), so the reads are one-partition queries.
 */
import type { ContainerSpec, Document } from '../../../domain/ports.ts';
import type { MoodView } from '../../../domain/wardrobe/moods.ts';

export const moodsContainer: ContainerSpec = { name: 'wardrobe-moods', partitionKey: 'userId' };
export const MOODS_PARTITION = 'global';

export type MoodDoc = MoodView & Document & { userId: typeof MOODS_PARTITION };

export const moodsContainers: readonly ContainerSpec[] = [moodsContainer];

/** A stored mood as the routes answer it: the document without its store fields. */
export const moodView = ({ etag: _etag, userId: _userId, expiresAt: _expiresAt, ...mood }: MoodDoc & { etag?: string }): MoodView => mood;

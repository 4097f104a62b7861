/** The wardrobe's moods container, partitioned by the owner's user id. */
import type { ContainerSpec, Document } from '../../../domain/ports.ts';
import type { Mood } from '../../../domain/wardrobe/moods.ts';

export const moodsContainer: ContainerSpec = { name: 'wardrobe-moods', partitionKey: 'userId' };

export type MoodDoc = Mood & Document;

export const moodsContainers: readonly ContainerSpec[] = [moodsContainer];

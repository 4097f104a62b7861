/** The wardrobe's media containers: one image document per upload, partitioned by its owner. */
import type { ContainerSpec, Document } from '../../../domain/ports.ts';
import type { WardrobeImage } from '../../../domain/wardrobe/media.ts';

export const imagesContainer: ContainerSpec = { name: 'wardrobe-images', partitionKey: 'userId' };

export type WardrobeImageDoc = WardrobeImage & Document;

export const mediaContainers: readonly ContainerSpec[] = [imagesContainer];

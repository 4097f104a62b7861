/** The wardrobe's moods containers. */
import type { ContainerSpec } from '../../../domain/ports.ts';

export const moodsContainers: readonly ContainerSpec[] = [];

/** The wardrobe's media containers. */
import type { ContainerSpec } from '../../../domain/ports.ts';

export const mediaContainers: readonly ContainerSpec[] = [];

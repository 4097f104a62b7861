/** The wardrobe's taste containers. */
import type { ContainerSpec } from '../../../domain/ports.ts';

export const tasteContainers: readonly ContainerSpec[] = [];

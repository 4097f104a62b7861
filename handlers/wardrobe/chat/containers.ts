/** The wardrobe's chat containers. */
import type { ContainerSpec } from '../../../domain/ports.ts';

export const chatContainers: readonly ContainerSpec[] = [];

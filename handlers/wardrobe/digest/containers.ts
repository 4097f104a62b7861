/** The wardrobe's digest containers. */
import type { ContainerSpec } from '../../../domain/ports.ts';

export const digestContainers: readonly ContainerSpec[] = [];

/** The wardrobe's scraper containers. */
import type { ContainerSpec } from '../../../domain/ports.ts';

export const scraperContainers: readonly ContainerSpec[] = [];

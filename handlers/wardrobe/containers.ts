/** Every wardrobe container; all are partitioned by the owner's user id unless noted. */
import type { ContainerSpec } from '../../domain/ports.ts';
import { chatContainers } from './chat/containers.ts';
import { digestContainers } from './digest/containers.ts';
import { itemsContainers } from './items/containers.ts';
import { mediaContainers } from './media/containers.ts';
import { moodsContainers } from './moods/containers.ts';
import { scraperContainers } from './scraper/containers.ts';
import { tasteContainers } from './taste/containers.ts';

export const wardrobeContainers: readonly ContainerSpec[] = [
  ...mediaContainers,
  ...itemsContainers,
  ...chatContainers,
  ...moodsContainers,
  ...tasteContainers,
  ...digestContainers,
  ...scraperContainers,
];

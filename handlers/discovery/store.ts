/** The discovery service's documents: the shared cache layer (searches and geocoded locations), each with its expiry. */
import type { ContainerSpec } from '../../domain/ports.ts';

/** Partitioned by kind (`search`, `location`); the id is a hash of the cache key (cache.ts). */
export const discoveryCacheContainer: ContainerSpec = { name: 'discovery-cache', partitionKey: 'kind' };

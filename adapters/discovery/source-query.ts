/** What the three place sources share about a query. */
import type { SourceQuery } from '../../domain/discovery/ports.ts';

/** Each source contributes at most this many places (the upstream's `[:10]`). */
export const MAX_PLACES = 10;

/** The place to search, as the geocoder resolved it ("Pikeville, Kentucky, United States"), else as written. */
export const resolvedPlace = (query: SourceQuery): string => query.location.normalized.trim() || query.rawLocation;

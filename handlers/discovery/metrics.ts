/** The discovery service's own metrics (model calls and tokens are the platform's `portico.ai.*`). */
export const DISCOVERY_METRIC = {
  /** Attributes: `cache` (`hit` or `miss`); ms to the answer. Percentiles show in GET /api/admin/metrics. */
  searchDuration: 'portico.discovery.search.duration',
  /** Attributes: `kind` (`search`, `location`), `layer` (`memory`, `cosmos`), `result` (`hit`, `miss`). */
  cacheLookups: 'portico.discovery.cache.lookups',
  /** Attributes: `provider`, `status` (`success`, `failed`, `timeout`); ms per source call. */
  sourceDuration: 'portico.discovery.source.duration',
  /** Attributes: `provider`, `code` (`upstream_429`, `timeout`, `deadline`...). */
  sourceFailures: 'portico.discovery.source.failures',
} as const;

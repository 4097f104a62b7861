/**
 * The discovery cache (issue 12, pipeline step 7): an in-process LRU in front of a document
 * container, for searches (30 minutes) and geocoded locations (24 hours).
 *
 * - A lookup tries memory, then the store; a store hit goes back into memory for the rest of
 *   its life, so after a restart (or on another instance) the second lookup is in memory again.
 * - A write goes to both layers. The document id is the SHA-256 of the key (keys are JSON text
 *   from domain/discovery/cache-keys.ts, not id-safe); the document carries `expiresAt`, which
 *   the Cosmos adapter turns into a per-item TTL and which every read already honours (the
 *   platform's purge job deletes expired documents where the emulator ignores TTL).
 * - The cache never fails a search: a store that cannot be read is a miss, one that cannot be
 *   written is skipped, both logged.
 * - Both layers hold the value's JSON form, so a value reads back the same from either layer,
 *   and a caller that changes what it got cannot change what is cached.
 */
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { isExpired } from '../../domain/documents.ts';
import type { Metrics } from '../../domain/metrics.ts';
import type { Clock, Document, DocumentStore } from '../../domain/ports.ts';
import { DISCOVERY_METRIC } from './metrics.ts';
import { discoveryCacheContainer } from './store.ts';

export type CacheKind = 'search' | 'location';
export type CacheLayer = 'memory' | 'cosmos';

export interface LayerStats {
  /** Live entries; null when the layer cannot be counted. The store layer's count stops at COSMOS_COUNT_CAP. */
  entries: number | null;
  hits: number;
  misses: number;
  /** hits / (hits + misses), three decimals; null before any lookup reached the layer. */
  hit_ratio: number | null;
}

export interface DiscoveryCacheStats {
  memory: LayerStats;
  cosmos: LayerStats;
}

export interface DiscoveryCache {
  /** The cached value and the layer that had it, or undefined (a miss, or a store that could not be read). */
  get<T>(kind: CacheKind, key: string): Promise<{ value: T; layer: CacheLayer } | undefined>;
  /** Caches a JSON value in both layers for `ttlSeconds`; never throws. */
  set<T>(kind: CacheKind, key: string, value: T, ttlSeconds: number): Promise<void>;
  stats(): Promise<DiscoveryCacheStats>;
}

export interface DiscoveryCacheDeps {
  documents: DocumentStore;
  clock: Clock;
  /** The in-process layer's size, in entries (searches and locations together). */
  maxEntries: number;
  metrics?: Metrics;
  log?: { warn(obj: object, msg: string): void };
}


/**
 * The store layer's entry count reads the container a page at a time (the DocumentRepository
 * port has no count), so it stops here: the health answer says "at least this many" beyond it.
 * One page, because a health route is polled: a larger count would read thousands of documents
 * per poll.
 */
export const COSMOS_COUNT_CAP = 1_000;
const COUNT_PAGE = 1000;

interface CacheDocument extends Document {
  kind: CacheKind;
  /** The key itself, so a document is only ever read back for the key that wrote it. */
  key: string;
  value: unknown;
  expiresAt: number;
}

interface MemoryEntry {
  json: string;
  expiresAt: number;
}

const documentId = (key: string): string => createHash('sha256').update(key).digest('hex');
const errorFields = (error: unknown) => (error instanceof Error ? { name: error.name, message: error.message } : { message: String(error) });

function counts() {
  let hits = 0;
  let misses = 0;
  return {
    record: (hit: boolean) => void (hit ? hits++ : misses++),
    view: (entries: number | null): LayerStats => ({ entries, hits, misses, hit_ratio: hits + misses === 0 ? null : Math.round((hits / (hits + misses)) * 1000) / 1000 }),
  };
}

export function createDiscoveryCache(deps: DiscoveryCacheDeps): DiscoveryCache {
  const { clock, log } = deps;
  if (!Number.isSafeInteger(deps.maxEntries) || deps.maxEntries < 1) throw new TypeError(`maxEntries must be a positive integer (got ${deps.maxEntries}).`);
  const repository = deps.documents.repository<CacheDocument>(discoveryCacheContainer);
  const memory = new LRUCache<string, MemoryEntry>({
    max: deps.maxEntries,
    // TTLs follow the injected clock, read on every check (ttlResolution 0: no cached "now", no
    // timer), and expired entries are dropped when met, not by timers (ttlAutopurge off).
    perf: { now: () => clock.now().getTime() },
    ttlResolution: 0,
    ttlAutopurge: false,
  });
  const memoryCounts = counts();
  const cosmosCounts = counts();
  const lookups = deps.metrics?.counter(DISCOVERY_METRIC.cacheLookups, { unit: '{lookup}', description: 'Discovery cache lookups, per kind, layer and result' });

  const record = (kind: CacheKind, layer: CacheLayer, hit: boolean) => {
    (layer === 'memory' ? memoryCounts : cosmosCounts).record(hit);
    lookups?.add(1, { kind, layer, result: hit ? 'hit' : 'miss' });
  };
  const memoryKey = (kind: CacheKind, key: string) => `${kind}:${key}`;

  /** Into memory until `expiresAt`. The LRU's own TTL ends a millisecond later than the store's rule; it only lets it drop expired entries. */
  const remember = (kind: CacheKind, key: string, json: string, expiresAt: number) => {
    const ttl = Math.ceil(expiresAt - clock.now().getTime());
    if (ttl > 0) memory.set(memoryKey(kind, key), { json, expiresAt }, { ttl });
  };

  function fromMemory(kind: CacheKind, key: string): MemoryEntry | undefined {
    const entry = memory.get(memoryKey(kind, key));
    // Expired exactly as a document expires (domain/documents.ts), so the layers never disagree.
    if (entry && isExpired(entry, clock.now().getTime())) {
      memory.delete(memoryKey(kind, key));
      return undefined;
    }
    return entry;
  }

  // A store that is down fails every call: its outage is logged when it starts and when it ends,
  // not once per lookup (a search makes several).
  let storeDown = false;
  const storeFailed = (fields: object, message: string) => {
    if (storeDown) return;
    storeDown = true;
    log?.warn(fields, `${message}; further store failures are not logged until it answers again`);
  };
  const storeAnswered = () => {
    if (!storeDown) return;
    storeDown = false;
    log?.warn({}, 'discovery cache: the store answers again');
  };

  async function fromStore(kind: CacheKind, key: string): Promise<CacheDocument | undefined> {
    try {
      const document = await repository.get(documentId(key), kind);
      storeAnswered();
      return document?.key === key && typeof document.expiresAt === 'number' ? document : undefined;
    } catch (error) {
      storeFailed({ kind, err: errorFields(error) }, 'discovery cache: the store could not be read; a miss');
      return undefined;
    }
  }

  async function countStored(): Promise<number | null> {
    let entries = 0;
    let continuation: string | undefined;
    try {
      do {
        const page = await repository.query({ limit: Math.min(COUNT_PAGE, COSMOS_COUNT_CAP - entries), continuation });
        entries += page.items.length;
        continuation = page.continuation;
      } while (continuation !== undefined && entries < COSMOS_COUNT_CAP);
      storeAnswered();
      return entries;
    } catch (error) {
      storeFailed({ err: errorFields(error) }, 'discovery cache: the store could not be counted');
      return null;
    }
  }

  return {
    async get<T>(kind: CacheKind, key: string) {
      const cached = fromMemory(kind, key);
      record(kind, 'memory', cached !== undefined);
      if (cached) return { value: JSON.parse(cached.json) as T, layer: 'memory' as const };

      const document = await fromStore(kind, key);
      record(kind, 'cosmos', document !== undefined);
      if (!document) return undefined;
      const json = JSON.stringify(document.value);
      remember(kind, key, json, document.expiresAt);
      return { value: JSON.parse(json) as T, layer: 'cosmos' as const };
    },

    async set<T>(kind: CacheKind, key: string, value: T, ttlSeconds: number) {
      let json: string | undefined;
      try {
        json = JSON.stringify(value);
      } catch (error) {
        log?.warn({ kind, err: errorFields(error) }, 'discovery cache: the value is not JSON; not cached');
        return;
      }
      if (json === undefined || !(ttlSeconds > 0) || !Number.isFinite(ttlSeconds)) {
        log?.warn({ kind, ttlSeconds }, 'discovery cache: nothing to cache (no JSON value, or no positive TTL)');
        return;
      }
      const expiresAt = clock.now().getTime() + Math.ceil(ttlSeconds * 1000);
      remember(kind, key, json, expiresAt);
      try {
        await repository.upsert({ id: documentId(key), kind, key, value: JSON.parse(json), expiresAt });
        storeAnswered();
      } catch (error) {
        storeFailed({ kind, err: errorFields(error) }, 'discovery cache: the store could not be written; cached in memory only');
      }
    },

    async stats() {
      memory.purgeStale();
      return { memory: memoryCounts.view(memory.size), cosmos: cosmosCounts.view(await countStored()) };
    },
  };
}

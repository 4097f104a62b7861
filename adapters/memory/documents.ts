/**
 * The in-memory DocumentStore: the same observable rules as Cosmos DB (and the emulator that the
 * contract tests run it against), so a handler tested with it behaves the same in production.
 * Every operation yields to the event loop first, so concurrent callers really interleave, and
 * then checks and writes without yielding again: like a database request, each call is atomic.
 */
import { randomUUID } from 'node:crypto';
import { setImmediate as tick } from 'node:timers/promises';
import { validateId, isExpired } from '../../domain/documents.ts';
import { DocumentExistsError, PreconditionFailedError, badRequest, notFound } from '../../domain/errors.ts';
import type {
  Clock,
  ContainerSpec,
  Document,
  DocumentRepository,
  DocumentStore,
  FilterOp,
  FilterValue,
  Page,
  QuerySpec,
  Stored,
} from '../../domain/ports.ts';

interface Entry {
  document: Document;
  etag: string;
  /** Creation order, kept across replaces: the emulator orders ties (and unordered queries) by `_rid` the same way. */
  seq: number;
}

interface Container {
  spec: ContainerSpec;
  partitions: Map<string, Map<string, Entry>>;
}

/** Fields the store owns; a caller's copy of them is never persisted. */
const OWNED_FIELDS = ['etag', 'ttl', '_rid', '_self', '_etag', '_attachments', '_ts'] as const;
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const systemClock: Clock = { now: () => new Date() };

export class MemoryDocumentStore implements DocumentStore {
  readonly #clock: Clock;
  readonly #containers = new Map<string, Container>();
  #seq = 0;

  constructor(clock: Clock = systemClock) {
    this.#clock = clock;
  }

  async ensure(specs: readonly ContainerSpec[]): Promise<void> {
    await tick();
    for (const spec of specs) this.#container(spec);
  }

  repository<T extends Document>(spec: ContainerSpec): DocumentRepository<T> {
    // Lenient where Cosmos is strict: a container used before ensure() is created on first use.
    return new MemoryRepository<T>(() => this.#container(spec), this.#clock, () => ++this.#seq);
  }

  #container(spec: ContainerSpec): Container {
    let container = this.#containers.get(spec.name);
    if (!container) {
      // Like createIfNotExists, the first declaration of a container wins.
      container = { spec: structuredClone(spec), partitions: new Map() };
      this.#containers.set(spec.name, container);
    }
    return container;
  }
}

class MemoryRepository<T extends Document> implements DocumentRepository<T> {
  readonly #container: () => Container;
  readonly #clock: Clock;
  readonly #nextSeq: () => number;

  constructor(container: () => Container, clock: Clock, nextSeq: () => number) {
    this.#container = container;
    this.#clock = clock;
    this.#nextSeq = nextSeq;
  }

  async get(id: string, partitionKey: string): Promise<Stored<T> | undefined> {
    validateId(id);
    await tick();
    const entry = this.#live(this.#partition(partitionKey), id);
    return entry && view<T>(entry);
  }

  async create(document: T): Promise<Stored<T>> {
    const { id, partitionKey, body } = this.#incoming(document);
    await tick();
    const partition = this.#partition(partitionKey, true);
    if (this.#live(partition, id)) throw new DocumentExistsError();
    this.#checkUniqueKeys(partition, body);
    return this.#write(partition, body, this.#nextSeq());
  }

  async upsert(document: T): Promise<Stored<T>> {
    const { id, partitionKey, body } = this.#incoming(document);
    await tick();
    const partition = this.#partition(partitionKey, true);
    const current = this.#live(partition, id);
    this.#checkUniqueKeys(partition, body);
    return this.#write(partition, body, current?.seq ?? this.#nextSeq());
  }

  async replace(document: T, ifMatch: string): Promise<Stored<T>> {
    const { id, partitionKey, body } = this.#incoming(document);
    await tick();
    const partition = this.#partition(partitionKey, true);
    const current = this.#live(partition, id);
    // Cosmos answers 404 before it looks at If-Match.
    if (!current) throw notFound('The document does not exist.');
    if (current.etag !== ifMatch) throw new PreconditionFailedError();
    this.#checkUniqueKeys(partition, body);
    return this.#write(partition, body, current.seq);
  }

  async delete(id: string, partitionKey: string, ifMatch?: string): Promise<boolean> {
    validateId(id);
    await tick();
    const partition = this.#partition(partitionKey);
    const current = partition && this.#live(partition, id);
    if (!partition || !current) return false;
    if (ifMatch !== undefined && current.etag !== ifMatch) throw new PreconditionFailedError();
    partition.delete(id);
    return true;
  }

  async query(spec: QuerySpec): Promise<Page<Stored<T>>> {
    checkQuery(spec);
    const after = spec.continuation === undefined ? undefined : decodeContinuation(spec.continuation);
    await tick();
    const { partitions } = this.#container();
    const sources = spec.partitionKey === undefined ? [...partitions.values()] : [partitions.get(spec.partitionKey) ?? new Map()];
    const now = this.#clock.now().getTime();
    const filters = spec.filters ?? [];
    const orderField = spec.orderBy?.field;
    const direction = spec.orderBy?.direction === 'desc' ? -1 : 1;
    const key = (entry: Entry) => (orderField === undefined ? null : entry.document[orderField]);

    let matches = sources
      .flatMap((partition) => [...partition.values()])
      .filter((entry) => !isExpired(entry.document, now))
      .filter((entry) => filters.every(({ field, op, value }) => satisfies(entry.document[field], op, value)));
    // As in the emulator (and Cosmos before undefined-aware ordering), ORDER BY drops documents without the field.
    if (orderField !== undefined) matches = matches.filter((entry) => entry.document[orderField] !== undefined);
    // Ties, and unordered queries, fall back to creation order, ascending in both directions (as `_rid` does).
    matches.sort((a, b) => direction * compareValues(key(a), key(b)) || a.seq - b.seq);

    const start = after === undefined
      ? 0
      : matches.findIndex((entry) => {
          const order = direction * compareValues(key(entry), after.key);
          return order > 0 || (order === 0 && entry.seq > after.seq);
        });
    const rest = start < 0 ? [] : matches.slice(start);
    const items = rest.slice(0, spec.limit);
    const last = items.at(-1);
    const page: Page<Stored<T>> = { items: items.map((entry) => view<T>(entry)) };
    if (rest.length > spec.limit && last) page.continuation = encodeContinuation({ key: key(last), seq: last.seq });
    return page;
  }

  async purgeExpired(max: number): Promise<number> {
    await tick();
    const now = this.#clock.now().getTime();
    let purged = 0;
    for (const partition of this.#container().partitions.values()) {
      for (const [id, entry] of partition) {
        if (purged >= max) return purged;
        if (isExpired(entry.document, now)) {
          partition.delete(id);
          purged++;
        }
      }
    }
    return purged;
  }

  #incoming(document: T): { id: string; partitionKey: string; body: Document } {
    validateId(document.id);
    // The JSON round trip is what the wire does to a document (Dates become strings, undefined
    // fields vanish), and it also means later changes to the caller's object cannot reach the store.
    const body = JSON.parse(JSON.stringify(document)) as Document;
    for (const field of OWNED_FIELDS) delete body[field];
    const partitionKey = body[this.#container().spec.partitionKey];
    if (typeof partitionKey !== 'string') {
      throw badRequest('invalid_partition_key', `The field "${this.#container().spec.partitionKey}" must hold a string partition key.`);
    }
    return { id: document.id, partitionKey, body };
  }

  #partition(partitionKey: string, create: true): Map<string, Entry>;
  #partition(partitionKey: string, create?: false): Map<string, Entry> | undefined;
  #partition(partitionKey: string, create = false): Map<string, Entry> | undefined {
    const { partitions } = this.#container();
    let partition = partitions.get(partitionKey);
    if (!partition && create) partitions.set(partitionKey, (partition = new Map()));
    return partition;
  }

  /** The entry when it exists and has not expired; an expired one is dropped on sight, as if TTL had purged it. */
  #live(partition: Map<string, Entry> | undefined, id: string): Entry | undefined {
    const entry = partition?.get(id);
    if (entry && isExpired(entry.document, this.#clock.now().getTime())) {
      partition?.delete(id);
      return undefined;
    }
    return entry;
  }

  /** Unique keys hold within a partition; a missing field counts as null, as in Cosmos. */
  #checkUniqueKeys(partition: Map<string, Entry>, body: Document): void {
    const now = this.#clock.now().getTime();
    for (const fields of this.#container().spec.uniqueKeys ?? []) {
      const wanted = uniqueValue(body, fields);
      for (const entry of partition.values()) {
        if (entry.document.id === body.id || isExpired(entry.document, now)) continue;
        if (uniqueValue(entry.document, fields) === wanted) throw new DocumentExistsError();
      }
    }
  }

  #write(partition: Map<string, Entry>, body: Document, seq: number): Stored<T> {
    const entry: Entry = { document: body, etag: `"${randomUUID()}"`, seq };
    partition.set(body.id, entry);
    return view<T>(entry);
  }
}

function view<T extends Document>(entry: Entry): Stored<T> {
  return { ...structuredClone(entry.document), etag: entry.etag } as Stored<T>;
}

const uniqueValue = (document: Document, fields: readonly string[]) => JSON.stringify(fields.map((field) => document[field] ?? null));

function checkQuery(spec: QuerySpec): void {
  if (!Number.isInteger(spec.limit) || spec.limit < 1 || spec.limit > 1000) {
    throw badRequest('invalid_limit', 'A page size must be an integer from 1 to 1000.');
  }
  const fields = [...(spec.filters ?? []).map((filter) => filter.field), ...(spec.orderBy ? [spec.orderBy.field] : [])];
  for (const field of fields) {
    if (!FIELD_NAME.test(field)) throw badRequest('invalid_field', `"${field}" is not a queryable field name.`);
  }
}

// ---------------------------------------------------------------- Cosmos SQL value semantics

type Kind = 'undefined' | 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object';
const KIND_ORDER: readonly Kind[] = ['undefined', 'null', 'boolean', 'number', 'string', 'array', 'object'];

function kindOf(value: unknown): Kind {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const kind = typeof value;
  return kind === 'boolean' || kind === 'number' || kind === 'string' || kind === 'undefined' ? kind : 'object';
}

/** ORDER BY: by type first (undefined < null < boolean < number < string < array < object), then by value. */
function compareValues(a: unknown, b: unknown): number {
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka !== kb) return KIND_ORDER.indexOf(ka) - KIND_ORDER.indexOf(kb);
  if (ka === 'array' || ka === 'object' || a === b) return 0;
  return (a as number | string | boolean) < (b as number | string | boolean) ? -1 : 1;
}

/**
 * A WHERE comparison that is "true". As in Cosmos SQL, comparing a missing field, two different
 * types, or objects and arrays gives undefined, which never matches (not even for !=).
 */
function satisfies(field: unknown, op: FilterOp, value: FilterValue): boolean {
  if (field === undefined) return false;
  const sameKind = kindOf(field) === kindOf(value);
  switch (op) {
    case '=':
      return sameKind && field === value;
    case '!=':
      return sameKind && field !== value;
    default: {
      const kind = kindOf(field);
      if (!sameKind || kind === 'array' || kind === 'object') return false;
      const [a, b] = [field as number | string | boolean, value as number | string | boolean];
      if (op === '<') return a < b;
      if (op === '<=') return a <= b;
      if (op === '>') return a > b;
      return a >= b;
    }
  }
}

// ---------------------------------------------------------------- continuation: keyset, so writes between pages neither skip nor repeat

interface Position {
  key: unknown;
  seq: number;
}

function encodeContinuation(position: Position): string {
  return Buffer.from(JSON.stringify({ k: position.key ?? null, s: position.seq })).toString('base64url');
}

function decodeContinuation(token: string): Position {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { k?: unknown; s?: unknown };
    // Only what encodeContinuation writes: a sequence number and an ordering key that is a filter value.
    const key = parsed?.k;
    const keyOk = key === null || typeof key === 'string' || typeof key === 'boolean' || (typeof key === 'number' && Number.isFinite(key));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && Number.isSafeInteger(parsed.s) && keyOk) return { key, seq: parsed.s as number };
  } catch {
    // fall through
  }
  throw badRequest('invalid_continuation', 'The continuation token is not valid.');
}

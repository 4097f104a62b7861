/**
 * The Cosmos DB DocumentStore (`@azure/cosmos`). The SDK is loaded and the client built on first
 * use, so importing this module costs nothing on a cold start that never touches Cosmos.
 *
 * Expiry is enforced here, not only by TTL: TTL deletes lag, and the emulator ignores it. So an
 * expired document is absent to get/replace/delete, excluded from queries, and is purged when it
 * stands in the way of a create.
 */
import type { Container, CosmosClient, ItemDefinition, JSONValue, SqlParameter } from '@azure/cosmos';
import { isExpired, validateId } from '../../domain/documents.ts';
import { DocumentExistsError, PreconditionFailedError, StoreUnavailableError, badRequest, notFound } from '../../domain/errors.ts';
import type { Clock, ContainerSpec, Document, DocumentRepository, DocumentStore, FilterValue, Page, QuerySpec, Stored } from '../../domain/ports.ts';

export interface CosmosConnection {
  endpoint: string;
  key: string;
  database: string;
}

/** A document as Cosmos returns it. */
type Raw = Document & { _etag: string };

const SYSTEM_FIELDS = ['_rid', '_self', '_etag', '_attachments', '_ts', 'ttl'] as const;
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Network-level failures: nothing reached the store, so the caller may retry later. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'EHOSTUNREACH', 'REQUEST_SEND_ERROR', 'TimeoutError']);
const systemClock: Clock = { now: () => new Date() };

/**
 * What the store has seen of each version: ETag -> that version's expiresAt. A version never
 * changes, so an entry can never be stale; it lets replace skip reading the document again
 * just to learn whether the version the caller holds has expired. Oldest entries go first.
 */
class Versions {
  readonly #expiries = new Map<string, number | null>();
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  remember(container: string, raw: Raw): void {
    const key = `${container}\n${raw.id}\n${raw._etag}`;
    if (this.#expiries.has(key)) return;
    this.#expiries.set(key, typeof raw.expiresAt === 'number' ? raw.expiresAt : null);
    if (this.#expiries.size > this.#limit) this.#expiries.delete(this.#expiries.keys().next().value!);
  }

  /** The version's expiresAt (null: never expires), or undefined when this version was never seen. */
  expiresAt(container: string, id: string, etag: string): number | null | undefined {
    return this.#expiries.get(`${container}\n${id}\n${etag}`);
  }
}

async function createClient({ endpoint, key }: Pick<CosmosConnection, 'endpoint' | 'key'>): Promise<CosmosClient> {
  const { CosmosClient } = await import('@azure/cosmos');
  return new CosmosClient({
    endpoint,
    key,
    // The emulator (and a single-region account) has no other regions to discover.
    connectionPolicy: { enableEndpointDiscovery: false, retryOptions: { maxRetryAttemptCount: 3, maxWaitTimeInSeconds: 5 } },
  });
}

export class CosmosDocumentStore implements DocumentStore {
  readonly #connection: CosmosConnection;
  readonly #clock: Clock;
  readonly #versions = new Versions(10_000);
  #client: Promise<CosmosClient> | undefined;

  constructor(connection: CosmosConnection, clock: Clock = systemClock) {
    this.#connection = { ...connection };
    this.#clock = clock;
  }

  async ensure(specs: readonly ContainerSpec[]): Promise<void> {
    const client = await this.#getClient();
    try {
      const { database } = await client.databases.createIfNotExists({ id: this.#connection.database });
      await Promise.all(
        specs.map((spec) =>
          database.containers.createIfNotExists({
            id: spec.name,
            partitionKey: { paths: [`/${spec.partitionKey}`] },
            uniqueKeyPolicy: { uniqueKeys: (spec.uniqueKeys ?? []).map((fields) => ({ paths: fields.map((field) => `/${field}`) })) },
            // -1: TTL is on, and each item's own `ttl` decides.
            defaultTtl: -1,
          }),
        ),
      );
    } catch (error) {
      throw mapCosmosError(error);
    }
  }

  repository<T extends Document>(spec: ContainerSpec): DocumentRepository<T> {
    let container: Promise<Container> | undefined;
    const resolve = () => (container ??= this.#getClient().then((client) => client.database(this.#connection.database).container(spec.name)));
    return new CosmosRepository<T>(spec, resolve, this.#clock, this.#versions);
  }

  /** Releases the client's background resources; the store builds a new client if used again. */
  async dispose(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    (await client?.catch(() => undefined))?.dispose();
  }

  #getClient(): Promise<CosmosClient> {
    return (this.#client ??= createClient(this.#connection));
  }
}

class CosmosRepository<T extends Document> implements DocumentRepository<T> {
  readonly #spec: ContainerSpec;
  readonly #container: () => Promise<Container>;
  readonly #clock: Clock;
  readonly #versions: Versions;

  constructor(spec: ContainerSpec, container: () => Promise<Container>, clock: Clock, versions: Versions) {
    this.#spec = spec;
    this.#container = container;
    this.#clock = clock;
    this.#versions = versions;
  }

  async get(id: string, partitionKey: string): Promise<Stored<T> | undefined> {
    validateId(id);
    const raw = await this.#read(id, partitionKey);
    return raw && !this.#expired(raw) ? this.#stored(raw) : undefined;
  }

  async create(document: T): Promise<Stored<T>> {
    const body = this.#toCosmos(document);
    const container = await this.#container();
    return this.#write(body, () => container.items.create<ItemDefinition>(body));
  }

  async upsert(document: T): Promise<Stored<T>> {
    const body = this.#toCosmos(document);
    const container = await this.#container();
    return this.#write(body, () => container.items.upsert<ItemDefinition>(body));
  }

  async replace(document: T, ifMatch: string): Promise<Stored<T>> {
    const body = this.#toCosmos(document);
    const partitionKey = this.#partitionKeyOf(body);
    const absent = () => notFound('The document does not exist.');
    // If-Match alone would let a write through to a version that has expired since, and an expired
    // document is absent. So unless this version was seen before and is still live, read it first.
    const expiresAt = this.#versions.expiresAt(this.#spec.name, body.id, ifMatch);
    if (expiresAt === undefined || isExpired({ expiresAt: expiresAt ?? undefined }, this.#clock.now().getTime())) {
      const current = await this.#read(body.id, partitionKey);
      if (!current || this.#expired(current)) throw absent();
      if (current._etag !== ifMatch) throw new PreconditionFailedError();
    }
    const container = await this.#container();
    try {
      return await this.#write(
        body,
        () => container.item(body.id, partitionKey).replace<ItemDefinition>(body, { accessCondition: { type: 'IfMatch', condition: ifMatch } }),
        absent,
      );
    } catch (error) {
      if (!(error instanceof PreconditionFailedError)) throw error;
      // A newer version is stored. Cosmos says 412 even when that one has expired, which is absent here.
      const current = await this.#read(body.id, partitionKey);
      throw !current || this.#expired(current) ? absent() : error;
    }
  }

  async delete(id: string, partitionKey: string, ifMatch?: string): Promise<boolean> {
    validateId(id);
    const container = await this.#container();
    for (let attempt = 1; ; attempt++) {
      const current = await this.#read(id, partitionKey);
      if (!current) return false;
      if (this.#expired(current)) {
        await this.#purge(current, partitionKey);
        return false;
      }
      if (ifMatch !== undefined && current._etag !== ifMatch) throw new PreconditionFailedError();
      try {
        // Delete exactly the version checked above, so a concurrent write cannot slip an expired one in.
        await container.item(id, partitionKey).delete({ accessCondition: { type: 'IfMatch', condition: current._etag } });
        return true;
      } catch (error) {
        const status = statusOf(error);
        if (status === 404) return false;
        if (status === 412 && ifMatch === undefined && attempt < 5) continue;
        throw mapCosmosError(error);
      }
    }
  }

  async query(spec: QuerySpec): Promise<Page<Stored<T>>> {
    if (!Number.isInteger(spec.limit) || spec.limit < 1 || spec.limit > 1000) {
      throw badRequest('invalid_limit', 'A page size must be an integer from 1 to 1000.');
    }
    const parameters: SqlParameter[] = [{ name: '@now', value: this.#clock.now().getTime() }];
    // IS_NUMBER, not IS_DEFINED: exactly isExpired()'s rule, so a non-numeric expiresAt never hides a document.
    const where = ['(NOT IS_NUMBER(c.expiresAt) OR c.expiresAt > @now)'];
    if (spec.partitionKey !== undefined) {
      // Also in the SQL: the emulator ignores the partition key option on queries.
      where.push(`${field(this.#spec.partitionKey)} = @pk`);
      parameters.push({ name: '@pk', value: spec.partitionKey });
    }
    (spec.filters ?? []).forEach(({ field: name, op, value }, index) => {
      // Cosmos makes != across types undefined (no match); the emulator says true. The type guard makes both agree.
      const guard = op === '!=' ? ` AND ${typeCheck(value)}(${field(name)})` : '';
      where.push(`(${field(name)} ${op} @p${index}${guard})`);
      parameters.push({ name: `@p${index}`, value });
    });
    let sql = `SELECT * FROM c WHERE ${where.join(' AND ')}`;
    if (spec.orderBy) sql += ` ORDER BY ${field(spec.orderBy.field)} ${spec.orderBy.direction === 'desc' ? 'DESC' : 'ASC'}`;

    const container = await this.#container();
    try {
      const response = await container.items
        .query<Raw>(
          { query: sql, parameters },
          {
            maxItemCount: spec.limit,
            ...(spec.continuation !== undefined ? { continuationToken: decodeContinuation(spec.continuation) } : {}),
            ...(spec.partitionKey !== undefined ? { partitionKey: spec.partitionKey } : {}),
          },
        )
        .fetchNext();
      const page: Page<Stored<T>> = { items: response.resources.map((raw) => this.#stored(raw)) };
      if (response.continuationToken) page.continuation = Buffer.from(response.continuationToken, 'utf8').toString('base64url');
      return page;
    } catch (error) {
      const mapped = mapCosmosError(error);
      // A token of a shape we accept that the SDK or the service still refuses (a 400, or the
      // SDK's own TypeError) is the client's token at fault, not the store.
      if (spec.continuation !== undefined && mapped === error && (statusOf(error) === 400 || statusOf(error) === undefined)) throw invalidContinuation();
      throw mapped;
    }
  }

  /** A point read; undefined on 404. */
  async #read(id: string, partitionKey: string): Promise<Raw | undefined> {
    const container = await this.#container();
    try {
      const { resource } = await container.item(id, partitionKey).read<Raw>();
      if (resource) this.#versions.remember(this.#spec.name, resource);
      return resource ?? undefined;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw mapCosmosError(error);
    }
  }

  /**
   * Runs a write. A 409 may come from an expired document that still holds the id or a unique
   * key (TTL has not purged it yet, or never will on the emulator): purge those and try again.
   */
  async #write(
    body: Document,
    write: () => Promise<{ resource?: ItemDefinition | undefined }>,
    onNotFound?: () => Error,
  ): Promise<Stored<T>> {
    for (let attempt = 1; ; attempt++) {
      try {
        const { resource } = await write();
        if (!resource) throw new Error('Cosmos DB returned no document for a write.');
        return this.#stored(resource as Raw);
      } catch (error) {
        const status = statusOf(error);
        if (status === 409 && attempt < 3 && (await this.#purgeExpiredBlockers(body))) continue;
        if (status === 404 && onNotFound) throw onNotFound();
        throw mapCosmosError(error);
      }
    }
  }

  /** Deletes expired documents in the body's partition that share its id or a unique key; true when any went. */
  async #purgeExpiredBlockers(body: Document): Promise<boolean> {
    const partitionKey = this.#partitionKeyOf(body);
    const parameters: SqlParameter[] = [
      { name: '@now', value: this.#clock.now().getTime() },
      { name: '@pk', value: partitionKey },
      { name: '@id', value: body.id },
    ];
    const clashes = ['c.id = @id'];
    (this.#spec.uniqueKeys ?? []).forEach((fields, k) => {
      const parts = fields.map((name, f) => {
        const value = body[name];
        // Cosmos treats a missing unique-key field as null.
        if (value === undefined || value === null) return `(NOT IS_DEFINED(${field(name)}) OR IS_NULL(${field(name)}))`;
        parameters.push({ name: `@u${k}_${f}`, value: value as JSONValue });
        return `${field(name)} = @u${k}_${f}`;
      });
      clashes.push(`(${parts.join(' AND ')})`);
    });
    const query = {
      query: `SELECT * FROM c WHERE ${field(this.#spec.partitionKey)} = @pk AND IS_NUMBER(c.expiresAt) AND c.expiresAt <= @now AND (${clashes.join(' OR ')})`,
      parameters,
    };
    const container = await this.#container();
    try {
      const { resources } = await container.items.query<Raw>(query, { partitionKey }).fetchAll();
      await Promise.all(resources.map((raw) => this.#purge(raw, partitionKey)));
      return resources.length > 0;
    } catch (error) {
      throw mapCosmosError(error);
    }
  }

  async purgeExpired(max: number): Promise<number> {
    const container = await this.#container();
    try {
      const { resources } = await container.items
        .query<Raw>({ query: 'SELECT TOP @max * FROM c WHERE IS_NUMBER(c.expiresAt) AND c.expiresAt <= @now', parameters: [{ name: '@max', value: max }, { name: '@now', value: this.#clock.now().getTime() }] })
        .fetchAll();
      await Promise.all(resources.map((raw) => this.#purge(raw, this.#partitionKeyOf(raw))));
      return resources.length;
    } catch (error) {
      throw mapCosmosError(error);
    }
  }

  /** Deletes that exact expired version; losing a race to another writer is fine. */
  async #purge(raw: Raw, partitionKey: string): Promise<void> {
    const container = await this.#container();
    try {
      await container.item(raw.id, partitionKey).delete({ accessCondition: { type: 'IfMatch', condition: raw._etag } });
    } catch (error) {
      const status = statusOf(error);
      if (status !== 404 && status !== 412) throw mapCosmosError(error);
    }
  }

  /** The caller's view of a stored version, remembered for a later replace. */
  #stored(raw: Raw): Stored<T> {
    this.#versions.remember(this.#spec.name, raw);
    return fromCosmos<T>(raw);
  }

  #expired(raw: Raw): boolean {
    return isExpired(raw, this.#clock.now().getTime());
  }

  #partitionKeyOf(document: Document): string {
    const value = document[this.#spec.partitionKey];
    if (typeof value !== 'string') {
      throw badRequest('invalid_partition_key', `The field "${this.#spec.partitionKey}" must hold a string partition key.`);
    }
    return value;
  }

  /** What goes over the wire: no store-owned fields from the caller, and a TTL that matches `expiresAt`. */
  #toCosmos(document: T): Document {
    validateId(document.id);
    const body: Document = { ...document };
    delete body.etag;
    for (const name of SYSTEM_FIELDS) delete body[name];
    this.#partitionKeyOf(body);
    if (typeof body.expiresAt === 'number') {
      body.ttl = Math.max(1, Math.ceil((body.expiresAt - this.#clock.now().getTime()) / 1000));
    }
    return body;
  }
}

/** A top-level field in SQL; bracket notation, so names that are SQL keywords (`value`, `order`) still work. */
function field(name: string): string {
  if (!FIELD_NAME.test(name)) throw badRequest('invalid_field', `"${name}" is not a queryable field name.`);
  return `c["${name}"]`;
}

function typeCheck(value: FilterValue): string {
  if (value === null) return 'IS_NULL';
  if (typeof value === 'string') return 'IS_STRING';
  return typeof value === 'number' ? 'IS_NUMBER' : 'IS_BOOL';
}

function fromCosmos<T extends Document>(raw: Raw | ItemDefinition): Stored<T> {
  const document: Record<string, unknown> = { ...raw };
  const etag = document._etag;
  for (const name of SYSTEM_FIELDS) delete document[name];
  return { ...document, etag } as Stored<T>;
}

const invalidContinuation = () => badRequest('invalid_continuation', 'The continuation token is not valid.');
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The SDK's continuation token is JSON; base64url keeps it opaque and safe in a URL. A client can
 * send back anything, and the SDK reads fields of it unchecked (a TypeError, then a 500), so the
 * shapes it issues are checked here: `{ token, range? }` for a query within one partition key
 * range (every query here on the emulator), and the composite shapes of cross-partition queries.
 */
function decodeContinuation(token: string): string {
  const decoded = Buffer.from(token, 'base64url').toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoded);
  } catch {
    throw invalidContinuation();
  }
  if (!isObject(parsed)) throw invalidContinuation();
  const { range, rangeMappings } = parsed;
  const single = typeof parsed.token === 'string' && parsed.token !== '' && (range === undefined || (isObject(range) && typeof range.min === 'string' && typeof range.max === 'string'));
  const composite = typeof parsed.compositeToken === 'string' && parsed.compositeToken !== '';
  const mapped = Array.isArray(rangeMappings) && rangeMappings.length > 0 && rangeMappings.every((mapping) => isObject(mapping) && isObject(mapping.partitionKeyRange));
  if (!single && !composite && !mapped) throw invalidContinuation();
  return decoded;
}

function statusOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown; statusCode?: unknown } | null)?.code;
  if (typeof code === 'number') return code;
  const statusCode = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof statusCode === 'number' ? statusCode : undefined;
}

function networkCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && UNREACHABLE.has(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Turns an SDK error into the typed store errors callers react to; anything else is rethrown as is. */
export function mapCosmosError(error: unknown): unknown {
  const status = statusOf(error);
  if (status === 409) return new DocumentExistsError();
  if (status === 412) return new PreconditionFailedError();
  if (status === 429) {
    const { headers, retryAfterInMs } = error as { headers?: Record<string, unknown>; retryAfterInMs?: unknown };
    const ms = Number(headers?.['x-ms-retry-after-ms'] ?? retryAfterInMs);
    return new StoreUnavailableError(Number.isFinite(ms) && ms > 0 ? Math.ceil(ms / 1000) : 1);
  }
  if (status === 503 || status === 408 || networkCode(error)) return new StoreUnavailableError(5);
  return error;
}

/** For the health check: one cheap authenticated round trip, abandoned when `signal` aborts. */
export async function pingCosmos(endpoint: string, key: string, signal: AbortSignal): Promise<void> {
  const client = await createClient({ endpoint, key });
  try {
    await client.getDatabaseAccount({ abortSignal: signal });
  } finally {
    client.dispose();
  }
}

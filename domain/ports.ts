/**
 * The ports: what the domain and the handlers need from the outside world, and nothing more.
 * Each has an in-memory implementation (unit tests) and an emulator-backed one (Cosmos DB,
 * Azure Storage), and both pass the same contract tests in tests/contracts/.
 */

export interface Clock {
  now(): Date;
}

export interface IdSource {
  /** A new unique id, safe as a document id. */
  next(): string;
}

// ---------------------------------------------------------------- documents

/** A container as a service declares it; created idempotently at start-up. */
export interface ContainerSpec {
  name: string;
  /** The top-level field holding the partition key (`'id'` when a document is its own partition). */
  partitionKey: string;
  /** Unique-key constraints within a partition, as lists of top-level field names. */
  uniqueKeys?: readonly (readonly string[])[];
}

/**
 * A stored document. `expiresAt` (epoch milliseconds) is optional: an expired document is
 * treated as absent by every read, whatever the store's own TTL support.
 */
export interface Document {
  id: string;
  expiresAt?: number;
  [field: string]: unknown;
}

/** A document as read back: with the ETag for optimistic concurrency. */
export type Stored<T extends Document> = T & { etag: string };

export type FilterOp = '=' | '!=' | '<' | '<=' | '>' | '>=';
export type FilterValue = string | number | boolean | null;

export interface QuerySpec {
  /** All must hold; fields are top-level, values are always bound as parameters. */
  filters?: readonly { field: string; op: FilterOp; value: FilterValue }[];
  orderBy?: { field: string; direction: 'asc' | 'desc' };
  /** Page size, 1-1000. */
  limit: number;
  /**
   * The opaque token from the previous page. It comes back from a client, so a store checks it:
   * one it could not have issued (any shape, any type inside) fails with 400 `invalid_continuation`.
   */
  continuation?: string;
  /** Restrict to one partition (cheaper); otherwise the query fans out. */
  partitionKey?: string;
}

export interface Page<T> {
  items: T[];
  /** Present when there may be more. */
  continuation?: string;
}

export interface DocumentRepository<T extends Document> {
  get(id: string, partitionKey: string): Promise<Stored<T> | undefined>;
  /** Fails with DocumentExistsError when the id (or a unique key) is taken. */
  create(document: T): Promise<Stored<T>>;
  upsert(document: T): Promise<Stored<T>>;
  /** Fails with PreconditionFailedError when the stored ETag is no longer `ifMatch`. */
  replace(document: T, ifMatch: string): Promise<Stored<T>>;
  /** True when something was deleted. With `ifMatch`, fails with PreconditionFailedError on a newer version. */
  delete(id: string, partitionKey: string, ifMatch?: string): Promise<boolean>;
  query(spec: QuerySpec): Promise<Page<Stored<T>>>;
  /** Deletes up to `max` expired documents (reads already ignore them); answers how many went. */
  purgeExpired(max: number): Promise<number>;
}

export interface DocumentStore {
  /** Creates the database and these containers if they do not exist. */
  ensure(specs: readonly ContainerSpec[]): Promise<void>;
  repository<T extends Document>(spec: ContainerSpec): DocumentRepository<T>;
}

// ---------------------------------------------------------------- queues

/** Every message on a job queue is one of these. */
export interface JobEnvelope<P = unknown> {
  type: string;
  jobId: string;
  /** 1 on the first delivery of a job; re-enqueued retries count up. */
  attempt: number;
  traceparent?: string;
  enqueuedAt: string;
  /** The payload inline, or a reference to a blob holding it when it is large. */
  payload?: P;
  payloadRef?: { container: string; name: string };
}

export interface ReceivedMessage {
  id: string;
  /** The message text, decoded. */
  text: string;
  dequeueCount: number;
  /** Needed to delete or update the message. */
  receipt: string;
  insertedAt: Date;
}

export interface MessageQueue {
  /** Sends text; `delaySeconds` keeps it invisible that long. Fails with PayloadTooLargeError past 48 KiB. */
  send(queue: string, text: string, options?: { delaySeconds?: number }): Promise<{ id: string }>;
  receive(queue: string, options: { max: number; visibilitySeconds: number }): Promise<ReceivedMessage[]>;
  delete(queue: string, message: Pick<ReceivedMessage, 'id' | 'receipt'>): Promise<void>;
  /** Approximate number of messages, visible or not. */
  count(queue: string): Promise<number>;
  /** Creates the queue if it does not exist. */
  ensure(queue: string): Promise<void>;
}

// ---------------------------------------------------------------- blobs

export interface BlobContent {
  bytes: Uint8Array;
  contentType: string;
}

export interface BlobStore {
  /** Creates the container if needed; overwrites an existing blob. */
  put(container: string, name: string, bytes: Uint8Array, contentType: string): Promise<void>;
  get(container: string, name: string): Promise<BlobContent | undefined>;
  /** Blob names in the container, optionally under a prefix, sorted. */
  list(container: string, prefix?: string): Promise<string[]>;
  /**
   * One page of blobs in name order, with when each was last written (sweeps need the age, so
   * a blob being uploaded right now is never taken for an orphan). Pass the answer's
   * `continuation` back for the next page; none means the listing is complete.
   */
  listPage(container: string, options: BlobPageOptions): Promise<BlobPage>;
  /** True when something was deleted. */
  delete(container: string, name: string): Promise<boolean>;
  /** A URL that reads the blob without credentials until it expires. */
  readUrl(container: string, name: string, ttlSeconds: number): Promise<string>;
  /**
   * A URL that creates or overwrites this one blob with a PUT, without credentials, until it
   * expires: it cannot read, list or delete, nor write another name. The PUT must carry
   * `headers` (the content type, and what the store itself needs, e.g. Azure's blob type).
   */
  writeUrl(container: string, name: string, ttlSeconds: number, contentType: string): Promise<SignedUpload>;
}

export interface BlobPageOptions {
  prefix?: string;
  /** Blobs per page, 1-5000 (a store may answer fewer). */
  limit: number;
  continuation?: string;
}

export interface BlobPage {
  items: { name: string; lastModified: Date }[];
  continuation?: string;
}

/** A direct upload: PUT the bytes to `url` with `headers`, before `expiresAt`. */
export interface SignedUpload {
  url: string;
  headers: Record<string, string>;
  expiresAt: Date;
}

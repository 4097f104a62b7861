/**
 * An in-memory S3 behind a real S3Client, through aws-sdk-client-mock. Answers and errors (real
 * SDK exception classes) follow S3: NoSuchBucket / NoSuchKey, a bare 404 `NotFound` from
 * HeadObject, an idempotent DeleteObject, ListObjectsV2 in UTF-8 byte order with opaque
 * continuation tokens, CreateBucket needing a LocationConstraint outside us-east-1, bucket
 * names of 3-63 characters and keys of at most 1024 bytes. Stored bytes are copies.
 */
import {
  BucketAlreadyOwnedByYou,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchBucket,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  type CreateBucketCommandInput,
  type DeleteObjectCommandInput,
  type GetObjectCommandInput,
  type GetObjectCommandOutput,
  type HeadBucketCommandInput,
  type HeadObjectCommandInput,
  type ListObjectsV2CommandInput,
  type PutObjectCommandInput,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';

export const S3_REGION = 'eu-west-1';

interface StoredObject {
  /** A view inside a larger buffer, which GetObject hands out as it is. */
  bytes: Uint8Array;
  contentType: string | undefined;
  /** When it was put (S3 answers it in listings). */
  lastModified: Date;
}

function pooledCopy(bytes: Uint8Array): Uint8Array {
  const pool = new Uint8Array(bytes.length + 16).fill(0xee);
  pool.set(bytes, 8);
  return pool.subarray(8, 8 + bytes.length);
}

const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });
const noSuchBucket = () => new NoSuchBucket({ message: 'The specified bucket does not exist', ...meta(404) });
const failure = (name: string, status: number, message: string) => new S3ServiceException({ name, $fault: status >= 500 ? 'server' : 'client', message, ...meta(status) });

export type S3Command = 'CreateBucket' | 'PutObject' | 'GetObject' | 'HeadBucket' | 'HeadObject' | 'DeleteObject' | 'ListObjectsV2';

const stub = (client: S3Client) => mockClient(client);

/** S3 sorts keys by their UTF-8 bytes. */
const byUtf8 = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

export class FakeS3 {
  readonly client: S3Client;
  /** The aws-sdk-client-mock stub: `commandCalls(...)` shows what the adapter sent. */
  readonly mock: ReturnType<typeof stub>;
  readonly #buckets = new Map<string, Map<string, StoredObject>>();
  readonly #faults = new Map<S3Command, unknown[]>();

  constructor() {
    this.client = new S3Client({ region: S3_REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const mock = (this.mock = stub(this.client));
    mock.on(CreateBucketCommand).callsFake((input: CreateBucketCommandInput) => this.#run('CreateBucket', () => this.createBucket(input)));
    mock.on(PutObjectCommand).callsFake((input: PutObjectCommandInput) => this.#run('PutObject', () => this.putObject(input)));
    mock.on(GetObjectCommand).callsFake((input: GetObjectCommandInput) => this.#run('GetObject', () => this.getObject(input)));
    mock.on(HeadBucketCommand).callsFake((input: HeadBucketCommandInput) => this.#run('HeadBucket', () => this.headBucket(input)));
    mock.on(HeadObjectCommand).callsFake((input: HeadObjectCommandInput) => this.#run('HeadObject', () => this.headObject(input)));
    mock.on(DeleteObjectCommand).callsFake((input: DeleteObjectCommandInput) => this.#run('DeleteObject', () => this.deleteObject(input)));
    mock.on(ListObjectsV2Command).callsFake((input: ListObjectsV2CommandInput) => this.#run('ListObjectsV2', () => this.listObjects(input)));
  }

  /** The call of `command` after the next `after` ones fails with `error` (an SDK exception, or a network error). */
  failNext(command: S3Command, error: unknown, after = 0): void {
    this.#faults.set(command, [...(this.#faults.get(command) ?? []), ...Array<undefined>(after).fill(undefined), error]);
  }

  buckets(): string[] {
    return [...this.#buckets.keys()];
  }

  dropBucket(bucket: string): void {
    this.#buckets.delete(bucket);
  }

  async #run<T>(command: S3Command, act: () => T): Promise<T> {
    const fault = this.#faults.get(command)?.shift();
    if (fault !== undefined) throw fault;
    return act();
  }

  #bucket(name: string | undefined): Map<string, StoredObject> {
    const bucket = this.#buckets.get(name ?? '');
    if (!bucket) throw noSuchBucket();
    return bucket;
  }

  createBucket(input: CreateBucketCommandInput) {
    const name = input.Bucket ?? '';
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name)) throw failure('InvalidBucketName', 400, 'The specified bucket is not valid.');
    const constraint = input.CreateBucketConfiguration?.LocationConstraint;
    if ((constraint ?? 'us-east-1') !== S3_REGION) {
      throw failure('IllegalLocationConstraintException', 400, `The ${constraint ?? 'unspecified'} location constraint is incompatible for the region specific endpoint this request was sent to.`);
    }
    if (this.#buckets.has(name)) throw new BucketAlreadyOwnedByYou({ message: 'Your previous request to create the named bucket succeeded and you already own it.', ...meta(409) });
    this.#buckets.set(name, new Map());
    return { Location: `/${name}` };
  }

  putObject(input: PutObjectCommandInput) {
    const bucket = this.#bucket(input.Bucket);
    const key = input.Key ?? '';
    if (key.length === 0) throw failure('InvalidArgument', 400, 'The key is empty.');
    if (Buffer.byteLength(key, 'utf8') > 1024) throw failure('KeyTooLongError', 400, 'Your key is too long');
    const body = input.Body;
    let bytes: Uint8Array;
    if (body === undefined) bytes = new Uint8Array();
    else if (typeof body === 'string') bytes = new Uint8Array(Buffer.from(body, 'utf8'));
    // Only the view's bytes, copied now: the request has left once send resolves.
    else if (body instanceof Uint8Array) bytes = Uint8Array.prototype.slice.call(body);
    else throw new Error('FakeS3 takes a Uint8Array or string body.');
    bucket.set(key, { bytes: pooledCopy(bytes), contentType: input.ContentType, lastModified: new Date() });
    return { ETag: '"fake"' };
  }

  getObject(input: GetObjectCommandInput): Partial<GetObjectCommandOutput> {
    const stored = this.#bucket(input.Bucket).get(input.Key ?? '');
    if (!stored) throw new NoSuchKey({ message: 'The specified key does not exist.', ...meta(404) });
    // A view into a larger buffer that stays in use (the stored bytes themselves), as a pooled SDK
    // buffer can be: a store that hands it out without copying lets callers corrupt it.
    const view = stored.bytes;
    const body = {
      transformToByteArray: async () => view,
      transformToString: async (encoding?: string) => Buffer.from(view).toString((encoding ?? 'utf8') as BufferEncoding),
      transformToWebStream: () => {
        throw new Error('FakeS3 bodies are read with transformToByteArray.');
      },
    };
    return {
      Body: body as unknown as GetObjectCommandOutput['Body'],
      ContentLength: stored.bytes.length,
      ...(stored.contentType !== undefined ? { ContentType: stored.contentType } : {}),
    };
  }

  headBucket(input: HeadBucketCommandInput) {
    // HEAD again: a missing bucket is a bare 404 NotFound.
    if (!this.#buckets.has(input.Bucket ?? '')) throw new NotFound({ message: 'NotFound', ...meta(404) });
    return { BucketRegion: S3_REGION };
  }

  headObject(input: HeadObjectCommandInput) {
    const stored = this.#buckets.get(input.Bucket ?? '')?.get(input.Key ?? '');
    // A HEAD answer has no body, so the SDK sees only the status: missing bucket or key alike.
    if (!stored) throw new NotFound({ message: 'NotFound', ...meta(404) });
    return { ContentLength: stored.bytes.length, ContentType: stored.contentType };
  }

  deleteObject(input: DeleteObjectCommandInput) {
    // Idempotent: S3 answers 204 whether or not the key existed.
    this.#bucket(input.Bucket).delete(input.Key ?? '');
    return {};
  }

  listObjects(input: ListObjectsV2CommandInput) {
    const bucket = this.#bucket(input.Bucket);
    const prefix = input.Prefix ?? '';
    const pageSize = Math.min(input.MaxKeys ?? 1000, 1000);
    const after = input.ContinuationToken ? Buffer.from(input.ContinuationToken, 'base64').toString('utf8') : undefined;
    const keys = [...bucket.keys()].filter((key) => key.startsWith(prefix) && (after === undefined || byUtf8(key, after) > 0)).sort(byUtf8);
    const page = keys.slice(0, pageSize);
    const truncated = keys.length > page.length;
    return {
      // S3 leaves Contents out of an empty page.
      ...(page.length > 0 ? { Contents: page.map((key) => ({ Key: key, Size: bucket.get(key)!.bytes.length, LastModified: bucket.get(key)!.lastModified })) } : {}),
      KeyCount: page.length,
      IsTruncated: truncated,
      ...(truncated ? { NextContinuationToken: Buffer.from(page.at(-1)!, 'utf8').toString('base64') } : {}),
    };
  }
}

export { failure as s3Failure };

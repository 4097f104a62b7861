/**
 * BlobStore over Amazon S3: a container is the bucket `${bucketPrefix}${container}`, a blob name
 * is the object key. Names are checked by the Azure store's rules (storage/blob-store.ts, which
 * does not load its SDK), plus what S3 cannot hold: a bucket name over 63 characters once
 * prefixed, and a key over 1024 bytes of UTF-8. The SDK loads on first use.
 */
import type * as S3Sdk from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import type * as Presigner from '@aws-sdk/s3-request-presigner';
import { AppError, badRequest } from '../../domain/errors.ts';
import type { BlobContent, BlobPage, BlobPageOptions, BlobStore, SignedUpload } from '../../domain/ports.ts';
import { checkBlobName, checkContainerName, checkContentType, checkPageLimit, checkPrefix, checkTtl } from '../storage/blob-store.ts';
import { awsErrorName, awsStatus, mapAwsError } from './failures.ts';
import { commonJsExports } from '../lazy.ts';

type Sdk = typeof S3Sdk;

let loading: Promise<Sdk> | undefined;

function loadSdk(): Promise<Sdk> {
  loading ??= commonJsExports(import('@aws-sdk/client-s3'), 'S3Client');
  return loading;
}

let loadingPresigner: Promise<typeof Presigner> | undefined;

/**
 * Signs a GetObject URL for `ttlSeconds` (e.g. `getSignedUrl` from @aws-sdk/s3-request-presigner);
 * with `put`, a PutObject URL whose signature covers that content type.
 */
export type S3Presign = (bucket: string, key: string, ttlSeconds: number, put?: { contentType: string }) => Promise<string>;

export interface S3BlobStoreOptions {
  region?: string;
  /** A non-AWS endpoint (MinIO, LocalStack). */
  endpoint?: string;
  /** Path-style URLs (`endpoint/bucket/key`), which most S3 emulators need. */
  forcePathStyle?: boolean;
  /** Explicit keys (an R2 or MinIO token); otherwise the SDK's default chain (the Lambda role, AWS_* variables). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Bucket names are global across AWS accounts: prefix them, e.g. `acme-prod-`. */
  bucketPrefix?: string;
  /** A ready client (tests); otherwise one is built on first use. */
  client?: S3Client;
  /**
   * Replaces the default signer (`getSignedUrl` from @aws-sdk/s3-request-presigner, with this
   * store's client and its credentials), e.g. in tests that check what is signed.
   */
  presign?: S3Presign;
  /** Keys per ListObjectsV2 (S3's maximum is 1000); small values exercise paging in tests. */
  listPageSize?: number;
}

const MAX_BUCKET_NAME = 63;
const MAX_KEY_BYTES = 1024;

const isMissing = (error: unknown) => {
  const name = awsErrorName(error);
  // HeadObject has no body, so its 404 arrives as a bare `NotFound`.
  return name === 'NoSuchKey' || name === 'NoSuchBucket' || name === 'NotFound' || awsStatus(error) === 404;
};

export class S3BlobStore implements BlobStore {
  readonly #options: S3BlobStoreOptions;
  readonly #prefix: string;
  readonly #pageSize: number;
  #client: S3Client | undefined;
  readonly #ensured = new Set<string>();

  constructor(options: S3BlobStoreOptions = {}) {
    this.#options = options;
    this.#prefix = options.bucketPrefix ?? '';
    this.#pageSize = options.listPageSize ?? 1000;
    this.#client = options.client;
  }

  async #sdk(): Promise<{ sdk: Sdk; client: S3Client }> {
    const sdk = await loadSdk();
    const { region, endpoint, forcePathStyle, credentials } = this.#options;
    this.#client ??= new sdk.S3Client({
      ...(region ? { region } : {}),
      ...(credentials ? { credentials } : {}),
      ...(endpoint ? { endpoint } : {}),
      ...(forcePathStyle !== undefined ? { forcePathStyle } : {}),
    });
    return { sdk, client: this.#client };
  }

  #bucket(container: string): string {
    checkContainerName(container);
    const bucket = this.#prefix + container;
    if (bucket.length > MAX_BUCKET_NAME) {
      throw badRequest('invalid_name', `A container name is at most ${MAX_BUCKET_NAME - this.#prefix.length} characters here: S3 bucket names are at most ${MAX_BUCKET_NAME}, including the prefix "${this.#prefix}".`);
    }
    return bucket;
  }

  #key(name: string): string {
    checkBlobName(name);
    if (Buffer.byteLength(name, 'utf8') > MAX_KEY_BYTES) throw badRequest('invalid_name', `A blob name is at most ${MAX_KEY_BYTES} bytes of UTF-8 on S3.`);
    return name;
  }

  /** Creates the bucket in the client's region; one created meanwhile by us is fine. */
  async #createBucket(sdk: Sdk, client: S3Client, bucket: string): Promise<void> {
    const region = await client.config.region();
    try {
      // us-east-1 is the default location and S3 refuses it as an explicit constraint.
      await client.send(
        new sdk.CreateBucketCommand({
          Bucket: bucket,
          ...(region && region !== 'us-east-1' ? { CreateBucketConfiguration: { LocationConstraint: region as S3Sdk.BucketLocationConstraint } } : {}),
        }),
      );
    } catch (error) {
      const name = awsErrorName(error);
      if (name === 'BucketAlreadyOwnedByYou') return;
      if (name === 'BucketAlreadyExists') {
        throw new AppError(409, 'bucket_taken', `The S3 bucket ${bucket} belongs to another account (bucket names are global): set a bucket prefix.`);
      }
      throw error;
    }
  }

  /** Creates the bucket once per store for a direct upload (which cannot create it); `put` creates it on NoSuchBucket instead. */
  async #ensureBucket(bucket: string): Promise<void> {
    if (this.#ensured.has(bucket)) return;
    const { sdk, client } = await this.#sdk();
    try {
      await client.send(new sdk.HeadBucketCommand({ Bucket: bucket }));
    } catch (error) {
      if (!isMissing(error)) throw mapAwsError(error);
      try {
        await this.#createBucket(sdk, client, bucket);
      } catch (createError) {
        throw mapAwsError(createError);
      }
    }
    this.#ensured.add(bucket);
  }

  /** Creates the bucket on NoSuchBucket, then tries once more. */
  async put(container: string, name: string, bytes: Uint8Array, contentType: string): Promise<void> {
    const bucket = this.#bucket(container);
    const key = this.#key(name);
    checkContentType(contentType);
    const { sdk, client } = await this.#sdk();
    for (let attempt = 1; ; attempt++) {
      try {
        await client.send(new sdk.PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ContentType: contentType }));
        return;
      } catch (error) {
        if (attempt === 1 && awsErrorName(error) === 'NoSuchBucket') {
          try {
            await this.#createBucket(sdk, client, bucket);
          } catch (createError) {
            throw mapAwsError(createError);
          }
          continue;
        }
        throw mapAwsError(error);
      }
    }
  }

  /**
   * Undefined when the object or its bucket does not exist. Without s3:ListBucket on the bucket,
   * S3 answers a missing key with 403 AccessDenied instead, which is thrown.
   */
  async get(container: string, name: string): Promise<BlobContent | undefined> {
    const bucket = this.#bucket(container);
    const key = this.#key(name);
    const { sdk, client } = await this.#sdk();
    try {
      const response = await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: key }));
      const body = response.Body ? await response.Body.transformToByteArray() : new Uint8Array();
      // A copy with its own ArrayBuffer: the SDK's bytes may share a larger pooled buffer.
      return { bytes: new Uint8Array(body), contentType: response.ContentType ?? 'application/octet-stream' };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw mapAwsError(error);
    }
  }

  /** Every page, sorted by UTF-16 code units like the other stores (S3 itself orders by UTF-8 bytes). */
  async list(container: string, prefix?: string): Promise<string[]> {
    const bucket = this.#bucket(container);
    checkPrefix(prefix);
    const { sdk, client } = await this.#sdk();
    const names: string[] = [];
    let token: string | undefined;
    try {
      do {
        const page = await client.send(
          new sdk.ListObjectsV2Command({
            Bucket: bucket,
            MaxKeys: this.#pageSize,
            ...(prefix ? { Prefix: prefix } : {}),
            ...(token ? { ContinuationToken: token } : {}),
          }),
        );
        for (const object of page.Contents ?? []) if (object.Key !== undefined) names.push(object.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    } catch (error) {
      if (awsErrorName(error) === 'NoSuchBucket') return [];
      throw mapAwsError(error);
    }
    return names.sort();
  }

  /** S3's own continuation token; one page is in S3's order (UTF-8 bytes), which a sweep does not mind. */
  async listPage(container: string, options: BlobPageOptions): Promise<BlobPage> {
    const bucket = this.#bucket(container);
    checkPrefix(options.prefix);
    checkPageLimit(options.limit);
    const { sdk, client } = await this.#sdk();
    try {
      const page = await client.send(
        new sdk.ListObjectsV2Command({
          Bucket: bucket,
          MaxKeys: options.limit,
          ...(options.prefix ? { Prefix: options.prefix } : {}),
          ...(options.continuation ? { ContinuationToken: options.continuation } : {}),
        }),
      );
      const items = (page.Contents ?? []).filter((object) => object.Key !== undefined).map((object) => ({ name: object.Key!, lastModified: object.LastModified ?? new Date(0) }));
      return page.IsTruncated && page.NextContinuationToken ? { items, continuation: page.NextContinuationToken } : { items };
    } catch (error) {
      if (awsErrorName(error) === 'NoSuchBucket') return { items: [] };
      throw mapAwsError(error);
    }
  }

  /**
   * DeleteObject succeeds whether or not the key existed, so a HeadObject first tells which.
   * Two concurrent deletes of one blob may both answer true.
   */
  async delete(container: string, name: string): Promise<boolean> {
    const bucket = this.#bucket(container);
    const key = this.#key(name);
    const { sdk, client } = await this.#sdk();
    try {
      await client.send(new sdk.HeadObjectCommand({ Bucket: bucket, Key: key }));
      await client.send(new sdk.DeleteObjectCommand({ Bucket: bucket, Key: key }));
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw mapAwsError(error);
    }
  }

  /**
   * A presigned GetObject URL (SigV4 query string, X-Amz-Expires = ttl), signed locally with the
   * client's credentials: no request, and the object need not exist yet. On Lambda the
   * credentials are the function role's session, so a URL stops working when that session
   * expires, even before its ttl (at most the role session's remaining life, hours).
   */
  async readUrl(container: string, name: string, ttlSeconds: number): Promise<string> {
    const bucket = this.#bucket(container);
    const key = this.#key(name);
    const seconds = checkTtl(ttlSeconds);
    return this.#presign(bucket, key, seconds);
  }

  /**
   * A presigned PutObject URL for this key, signed with the content type (a PUT with another is
   * refused). The bucket is created now if needed: the upload itself cannot create it.
   */
  async writeUrl(container: string, name: string, ttlSeconds: number, contentType: string): Promise<SignedUpload> {
    const bucket = this.#bucket(container);
    const key = this.#key(name);
    checkContentType(contentType);
    const seconds = checkTtl(ttlSeconds);
    const expiresAt = new Date(Math.floor(Date.now() / 1000) * 1000 + seconds * 1000);
    await this.#ensureBucket(bucket);
    const url = await this.#presign(bucket, key, seconds, { contentType });
    return { url, headers: { 'content-type': contentType }, expiresAt };
  }

  async #presign(bucket: string, key: string, seconds: number, put?: { contentType: string }): Promise<string> {
    if (this.#options.presign) return this.#options.presign(bucket, key, seconds, put);
    const { sdk, client } = await this.#sdk();
    loadingPresigner ??= commonJsExports(import('@aws-sdk/s3-request-presigner'), 'getSignedUrl');
    const { getSignedUrl } = await loadingPresigner;
    const command = put
      ? new sdk.PutObjectCommand({ Bucket: bucket, Key: key, ContentType: put.contentType })
      : new sdk.GetObjectCommand({ Bucket: bucket, Key: key });
    return getSignedUrl(client, command, { expiresIn: seconds, ...(put ? { signableHeaders: new Set(['content-type']) } : {}) });
  }

  /**
   * For health checks: resolves when S3 answers HeadBucket for the container's bucket with 200
   * or 404 (a bucket is created on its first put), rejects on 403 or an unreachable endpoint.
   */
  async ping(container: string, signal?: AbortSignal): Promise<void> {
    const bucket = this.#bucket(container);
    const { sdk, client } = await this.#sdk();
    try {
      await client.send(new sdk.HeadBucketCommand({ Bucket: bucket }), signal ? { abortSignal: signal } : {});
    } catch (error) {
      if (awsStatus(error) === 404 || awsErrorName(error) === 'NotFound' || awsErrorName(error) === 'NoSuchBucket') return;
      throw error;
    }
  }
}

/**
 * The BlobStore contract against S3BlobStore, its SDK client answered by an in-memory S3
 * (tests/support/aws-s3.ts, through aws-sdk-client-mock), plus what is S3's own: bucket naming
 * and creation, key length in bytes, HeadObject before delete, paging, errors, the presigner.
 *
 * The contract's read-URL case reads the expiry from one query parameter holding a date, which a
 * real presigned S3 URL does not have (it carries X-Amz-Date in basic format plus X-Amz-Expires).
 * So the contract runs with a stand-in signer that builds an S3-shaped URL from exactly what the
 * store passed it and adds `x-test-expires`: that case proves the bucket, key and ttl the store
 * hands the signer. The default signer (@aws-sdk/s3-request-presigner) is checked on its own below.
 */
import { describe, it, expect } from '@jest/globals';
import { BucketAlreadyExists, CreateBucketCommand, DeleteObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { freePort } from '../../adapters/local/azurite.ts';
import { S3BlobStore, type S3BlobStoreOptions, type S3Presign } from '../../adapters/aws/s3-blob-store.ts';
import { StoreUnavailableError } from '../../domain/errors.ts';
import { FakeS3, S3_REGION, s3Failure } from '../support/aws-s3.ts';
import { connectionRefused } from '../support/aws-sqs.ts';
import { describeBlobStoreContract } from './blob-store.contract.ts';
import { rejection, useStaticAwsCredentials } from '../support/assertions.ts';

const EXPIRY_PARAM = 'x-test-expires';

/** An S3-shaped presigned URL built from the store's arguments, recording them. */
function standInPresigner() {
  const calls: { bucket: string; key: string; ttlSeconds: number }[] = [];
  const presign: S3Presign = async (bucket, key, ttlSeconds) => {
    calls.push({ bucket, key, ttlSeconds });
    const now = new Date();
    const url = new URL(`https://${bucket}.s3.${S3_REGION}.amazonaws.com/`);
    url.pathname = `/${key.split('/').map(encodeURIComponent).join('/')}`;
    url.searchParams.set('X-Amz-Algorithm', 'AWS4-HMAC-SHA256');
    url.searchParams.set('X-Amz-Date', now.toISOString().replace(/[-:]|\.\d{3}/g, ''));
    url.searchParams.set('X-Amz-Expires', String(ttlSeconds));
    url.searchParams.set('X-Amz-SignedHeaders', 'host');
    url.searchParams.set('X-Amz-Signature', 'stand-in');
    url.searchParams.set(EXPIRY_PARAM, new Date(now.getTime() + ttlSeconds * 1000).toISOString());
    return url.href;
  };
  return { presign, calls };
}

function setup(options: Omit<S3BlobStoreOptions, 'client'> = {}) {
  const s3 = new FakeS3();
  const signer = standInPresigner();
  const store = new S3BlobStore({ client: s3.client, presign: signer.presign, ...options });
  return { s3, store, signer };
}

// A small page size, so listing 30 blobs takes five requests and proves the store pages.
describeBlobStoreContract('S3BlobStore on an in-memory S3 (aws-sdk-client-mock)', () => ({
  store: setup({ listPageSize: 7 }).store,
  expiryParam: EXPIRY_PARAM,
  now: () => Date.now(),
}));

const bytes = Uint8Array.of(1, 2, 3);


describe('S3BlobStore: buckets and keys', () => {
  it('keeps a container in the bucket `${bucketPrefix}${container}`, created in the client’s region on first put', async () => {
    const { s3, store } = setup({ bucketPrefix: 'acme-test-' });
    await store.put('docs', 'a/b.txt', bytes, 'text/plain');
    await store.put('docs', 'c.txt', bytes, 'text/plain');
    expect(s3.buckets()).toEqual(['acme-test-docs']);
    expect(s3.mock.commandCalls(CreateBucketCommand).map((call) => call.args[0].input)).toEqual([
      { Bucket: 'acme-test-docs', CreateBucketConfiguration: { LocationConstraint: S3_REGION } },
    ]);
    // NoSuchBucket, create, retry; then straight in.
    expect(s3.mock.commandCalls(PutObjectCommand)).toHaveLength(3);
    expect(s3.mock.commandCalls(PutObjectCommand)[0]!.args[0].input).toMatchObject({ Bucket: 'acme-test-docs', Key: 'a/b.txt', ContentType: 'text/plain' });
    expect(await store.list('docs')).toEqual(['a/b.txt', 'c.txt']);
  });

  it('recreates a bucket deleted behind its back on the next put', async () => {
    const { s3, store } = setup();
    await store.put('reset', 'first', bytes, 'text/plain');
    s3.dropBucket('reset');
    await store.put('reset', 'second', bytes, 'text/plain');
    expect(await store.list('reset')).toEqual(['second']);
  });

  it('refuses, without a request, a container name that makes the bucket name longer than 63 characters', async () => {
    const { s3, store } = setup({ bucketPrefix: 'acme-prod-' });
    const fits = 'a'.repeat(63 - 'acme-prod-'.length);
    await store.put(fits, 'n', bytes, 'text/plain');
    const tooLong = `${fits}a`;
    s3.mock.resetHistory();
    const expected = { status: 400, code: 'invalid_name' };
    expect(await rejection(store.put(tooLong, 'n', bytes, 'text/plain'))).toEqual(expected);
    expect(await rejection(store.get(tooLong, 'n'))).toEqual(expected);
    expect(await rejection(store.list(tooLong))).toEqual(expected);
    expect(await rejection(store.delete(tooLong, 'n'))).toEqual(expected);
    expect(await rejection(store.readUrl(tooLong, 'n', 60))).toEqual(expected);
    expect(s3.mock.calls()).toHaveLength(0);
  });

  it('refuses a name over 1024 bytes of UTF-8 (S3 counts bytes, not characters)', async () => {
    const { store } = setup();
    await store.put('keys', 'é'.repeat(512), bytes, 'text/plain');
    expect(await rejection(store.put('keys', 'é'.repeat(513), bytes, 'text/plain'))).toEqual({ status: 400, code: 'invalid_name' });
    expect(await rejection(store.get('keys', 'é'.repeat(513)))).toEqual({ status: 400, code: 'invalid_name' });
    expect(await store.list('keys')).toEqual(['é'.repeat(512)]);
  });

  it('answers 409 bucket_taken when the bucket name belongs to another account', async () => {
    const { s3, store } = setup();
    s3.failNext('CreateBucket', new BucketAlreadyExists({ message: 'taken', $metadata: { httpStatusCode: 409 } }));
    expect(await rejection(store.put('popular', 'n', bytes, 'text/plain'))).toEqual({ status: 409, code: 'bucket_taken' });
  });
});

describe('S3BlobStore: delete, list', () => {
  it('asks HeadObject first, because DeleteObject succeeds either way', async () => {
    const { s3, store } = setup();
    await store.put('del', 'here', bytes, 'text/plain');
    s3.mock.resetHistory();
    expect(await store.delete('del', 'here')).toBe(true);
    expect(await store.delete('del', 'here')).toBe(false);
    expect(await store.delete('del-missing', 'x')).toBe(false);
    expect(s3.mock.commandCalls(HeadObjectCommand)).toHaveLength(3);
    expect(s3.mock.commandCalls(DeleteObjectCommand).map((call) => call.args[0].input)).toEqual([{ Bucket: 'del', Key: 'here' }]);
  });

  it('pages with the continuation token, and sorts by UTF-16 like the other stores (S3 orders by UTF-8)', async () => {
    const { s3, store } = setup({ listPageSize: 2 });
    // U+FF5E sorts after U+1F600 in UTF-16 code units, before it in UTF-8 bytes.
    const names = ['b', 'a', '\u{1F600}', '\uFF5E', 'c'];
    for (const name of names) await store.put('paged', name, bytes, 'text/plain');
    s3.mock.resetHistory();
    expect(await store.list('paged')).toEqual([...names].sort());
    const inputs = s3.mock.commandCalls(ListObjectsV2Command).map((call) => call.args[0].input);
    expect(inputs).toHaveLength(3);
    expect(inputs[0]).toEqual({ Bucket: 'paged', MaxKeys: 2 });
    expect(inputs[1]!.ContinuationToken).toEqual(expect.any(String));
  });
});

describe('S3BlobStore: read URLs', () => {
  it('passes the bucket, the key and the ttl in whole seconds to the presigner', async () => {
    const { store, signer } = setup({ bucketPrefix: 'acme-' });
    const url = await store.readUrl('reports', 'q3/summary ü.pdf', 299.2);
    expect(signer.calls).toEqual([{ bucket: 'acme-reports', key: 'q3/summary ü.pdf', ttlSeconds: 300 }]);
    expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('300');
  });

  it('signs with @aws-sdk/s3-request-presigner by default: a SigV4 URL for the object, with the ttl and the client’s key id', async () => {
    const s3 = new FakeS3();
    const store = new S3BlobStore({ client: s3.client, bucketPrefix: 'acme-' });
    const url = new URL(await store.readUrl('reports', 'q3/summary ü.pdf', 299.2));
    expect(url.hostname).toBe(`acme-reports.s3.${S3_REGION}.amazonaws.com`);
    expect(decodeURIComponent(url.pathname)).toBe('/q3/summary ü.pdf');
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(new RegExp(`^test/\\d{8}/${S3_REGION}/s3/aws4_request$`));
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    // Signed locally: no request reached S3.
    expect(s3.mock.calls()).toHaveLength(0);
    expect(await rejection(store.readUrl('reports', 'n', 0))).toEqual({ status: 400, code: 'invalid_ttl' });
    expect(await rejection(store.readUrl('Bad', 'n', 60))).toEqual({ status: 400, code: 'invalid_name' });
  });
});

describe('S3BlobStore: write URLs', () => {
  it('creates the bucket, then passes the bucket, key, ttl and content type to the presigner', async () => {
    const { s3, store, signer } = setup({ bucketPrefix: 'acme-' });
    await store.writeUrl('uploads', 'u/1.wav', 120, 'audio/wav');
    await store.writeUrl('uploads', 'u/2.wav', 120, 'audio/wav');
    expect(s3.buckets()).toEqual(['acme-uploads']);
    expect(s3.mock.commandCalls(CreateBucketCommand)).toHaveLength(1);
    expect(signer.calls.map((call) => call.bucket + '/' + call.key)).toEqual(['acme-uploads/u/1.wav', 'acme-uploads/u/2.wav']);
  });

  it('signs a PutObject with @aws-sdk/s3-request-presigner by default, the content type among the signed headers', async () => {
    const s3 = new FakeS3();
    const store = new S3BlobStore({ client: s3.client, bucketPrefix: 'acme-' });
    const upload = await store.writeUrl('uploads', 'u/1 ü.wav', 300, 'audio/wav');
    const url = new URL(upload.url);
    expect(url.hostname).toBe(`acme-uploads.s3.${S3_REGION}.amazonaws.com`);
    expect(decodeURIComponent(url.pathname)).toBe('/u/1 ü.wav');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('X-Amz-SignedHeaders')?.split(';')).toEqual(expect.arrayContaining(['content-type', 'host']));
    expect(upload.headers).toEqual({ 'content-type': 'audio/wav' });
    // Only the bucket check and creation reached S3; the URL was signed locally.
    expect(s3.mock.calls().map((call) => call.args[0].constructor.name)).toEqual(['HeadBucketCommand', 'CreateBucketCommand']);
  });
});

describe('S3BlobStore: health ping', () => {
  it('answers for an existing bucket and for one not created yet; throws what S3 refuses', async () => {
    const { s3, store } = setup({ bucketPrefix: 'acme-' });
    await store.put('there', 'n', bytes, 'text/plain');
    await expect(store.ping('there')).resolves.toBeUndefined();
    await expect(store.ping('not-yet')).resolves.toBeUndefined();
    const denied = s3Failure('AccessDenied', 403, 'Access Denied');
    s3.failNext('HeadBucket', denied);
    await expect(store.ping('there')).rejects.toBe(denied);
  });
});

describe('S3BlobStore: errors', () => {
  it.each([
    ['SlowDown (503)', () => s3Failure('SlowDown', 503, 'Please reduce your request rate.')],
    ['ServiceUnavailable', () => s3Failure('ServiceUnavailable', 503, 'busy')],
    ['a refused connection', connectionRefused],
  ])('maps %s to StoreUnavailableError on every operation', async (_what, failure) => {
    const { s3, store } = setup();
    await store.put('busy', 'n', bytes, 'text/plain');
    s3.failNext('PutObject', failure());
    s3.failNext('GetObject', failure());
    s3.failNext('ListObjectsV2', failure());
    s3.failNext('HeadObject', failure());
    await expect(store.put('busy', 'n', bytes, 'text/plain')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.get('busy', 'n')).rejects.toMatchObject({ status: 503, code: 'unavailable' });
    await expect(store.list('busy')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.delete('busy', 'n')).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('passes AccessDenied through unchanged (e.g. a missing key read without s3:ListBucket)', async () => {
    const { s3, store } = setup();
    const denied = s3Failure('AccessDenied', 403, 'Access Denied');
    s3.failNext('GetObject', denied);
    await expect(store.get('private', 'n')).rejects.toBe(denied);
  });
});

describe('S3BlobStore with its own client (real SDK, no service)', () => {
  useStaticAwsCredentials();

  it('builds its client on first use, and maps a refused connection to StoreUnavailableError', async () => {
    const store = new S3BlobStore({ region: 'eu-west-1', endpoint: `http://127.0.0.1:${await freePort()}`, forcePathStyle: true });
    await expect(store.get('any-container', 'n')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.put('any-container', 'n', bytes, 'text/plain')).rejects.toMatchObject({ status: 503, code: 'unavailable' });
  });
});

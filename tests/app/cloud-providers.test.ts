/**
 * Which queue and blob implementations the port catalog (app/ports.ts) builds for which settings
 * (QUEUE_PROVIDER, BLOB_PROVIDER and the AWS settings), that bad settings stop start-up naming the
 * variable, and which dependencies the health check probes. The AWS clients are answered by
 * aws-sdk-client-mock (mocking every client of the class), so what is asserted is what the
 * adapter the composition root built actually sends.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { GetQueueAttributesCommand, GetQueueUrlCommand, QueueDoesNotExist, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { S3BlobStore } from '../../adapters/aws/s3-blob-store.ts';
import { SqsMessageQueue } from '../../adapters/aws/sqs-queue.ts';
import { AzureBlobStore } from '../../adapters/storage/blob-store.ts';
import { AzureMessageQueue } from '../../adapters/storage/message-queue.ts';
import { blobStoreLoader, dependencyChecks as checksFor, messageQueueLoader } from '../../app/ports.ts';
import { ConfigError, loadConfig } from '../../app/config.ts';
import { jobs } from '../../app/functions.ts';
import { rejection, useStaticAwsCredentials } from '../support/assertions.ts';

const AZURITE = 'UseDevelopmentStorage=true';
const URL_PREFIX = 'https://sqs.eu-west-1.amazonaws.com/123456789012/';
const sqsEnv = { QUEUE_PROVIDER: 'sqs', AWS_REGION: 'eu-west-1', SQS_QUEUE_URL_PREFIX: URL_PREFIX, SQS_QUEUE_NAME_PREFIX: 'portico-prod-' };
const s3Env = { BLOB_PROVIDER: 's3', AWS_REGION: 'eu-west-1', S3_BUCKET_PREFIX: 'acme-prod-' };
const config = (env: Record<string, string>) => loadConfig(env, false);
const signal = () => new AbortController().signal;
/** What the app probes: the first job queue is the one every deployment has. */
const dependencyChecks = (settings: ReturnType<typeof config>) => checksFor(settings, jobs[0]!.queue);

function configError(env: Record<string, string>): ConfigError {
  try {
    config(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}

describe('queue and blob providers: which implementation for which settings', () => {
  useStaticAwsCredentials();
  const sqs = mockClient(SQSClient);
  const s3 = mockClient(S3Client);
  afterEach(() => {
    sqs.reset();
    s3.reset();
  });

  it('uses Azure Storage by default, and answers 503 not_configured without a connection', async () => {
    expect(config({})).toMatchObject({ queue: { provider: 'azure' }, blobs: { provider: 'azure' } });
    expect(await rejection(messageQueueLoader(config({}))())).toEqual({ status: 503, code: 'not_configured' });
    expect(await rejection(blobStoreLoader(config({}))())).toEqual({ status: 503, code: 'not_configured' });
    expect(await messageQueueLoader(config({ AzureWebJobsStorage: AZURITE }))()).toBeInstanceOf(AzureMessageQueue);
    expect(await blobStoreLoader(config({ AzureWebJobsStorage: AZURITE }))()).toBeInstanceOf(AzureBlobStore);
  });

  it('QUEUE_PROVIDER=sqs builds SqsMessageQueue in AWS_REGION, sending to <url prefix><name prefix><queue>', async () => {
    sqs.on(GetQueueUrlCommand).resolves({ QueueUrl: `${URL_PREFIX}portico-prod-system-jobs` });
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    // Blobs stay on Azure: the two choices are independent.
    const settings = config({ ...sqsEnv, AzureWebJobsStorage: AZURITE });
    const queue = await messageQueueLoader(settings)();
    expect(queue).toBeInstanceOf(SqsMessageQueue);
    expect(await blobStoreLoader(settings)()).toBeInstanceOf(AzureBlobStore);
    expect(await queue.send('system-jobs', '{"type":"x"}')).toEqual({ id: 'm-1' });
    const [send] = sqs.commandCalls(SendMessageCommand);
    expect(send!.args[0].input).toMatchObject({ QueueUrl: `${URL_PREFIX}portico-prod-system-jobs`, MessageBody: '{"type":"x"}' });
    expect(sqs.commandCalls(GetQueueUrlCommand)[0]!.args[0].input).toEqual({ QueueName: 'portico-prod-system-jobs' });
    expect(await (send!.thisValue as SQSClient).config.region()).toBe('eu-west-1');
  });

  it('AWS_ENDPOINT_URL_SQS points the SQS client elsewhere (ElasticMQ, LocalStack)', async () => {
    sqs.on(GetQueueUrlCommand).resolves({ QueueUrl: 'http://127.0.0.1:9324/000000000000/q-jobs' });
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-2' });
    const queue = await messageQueueLoader(config({ QUEUE_PROVIDER: 'sqs', AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:9324' }))();
    await queue.send('q-jobs', 'x');
    const client = sqs.commandCalls(SendMessageCommand)[0]!.thisValue as SQSClient;
    const endpoint = await client.config.endpoint?.();
    expect(endpoint).toMatchObject({ hostname: '127.0.0.1', port: 9324, protocol: 'http:' });
  });

  it('BLOB_PROVIDER=s3 builds S3BlobStore in AWS_REGION with the bucket prefix, signing read URLs locally', async () => {
    const settings = config(s3Env);
    const store = await blobStoreLoader(settings)();
    expect(store).toBeInstanceOf(S3BlobStore);
    const url = new URL(await store.readUrl('media', 'u1/photo.jpg', 600));
    expect(url.hostname).toBe('acme-prod-media.s3.eu-west-1.amazonaws.com');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('600');
    // Queues were not switched: still Azure, and not configured here.
    expect(await rejection(messageQueueLoader(settings)())).toEqual({ status: 503, code: 'not_configured' });
  });

  it('AWS_ENDPOINT_URL_S3 with S3_FORCE_PATH_STYLE gives path-style URLs on the endpoint (MinIO)', async () => {
    const store = await blobStoreLoader(config({ ...s3Env, AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9000', S3_FORCE_PATH_STYLE: 'true' }))();
    const url = new URL(await store.readUrl('media', 'a.txt', 60));
    expect(`${url.origin}${url.pathname}`).toBe('http://127.0.0.1:9000/acme-prod-media/a.txt');
  });

  it.each([
    [{ QUEUE_PROVIDER: 'rabbitmq' }, 'QUEUE_PROVIDER', /one of azure, sqs/],
    [{ BLOB_PROVIDER: 'gcs' }, 'BLOB_PROVIDER', /one of azure, s3/],
    [{ QUEUE_PROVIDER: 'sqs' }, 'AWS_REGION', /required when QUEUE_PROVIDER is sqs/],
    [{ BLOB_PROVIDER: 's3', S3_BUCKET_PREFIX: 'acme-' }, 'AWS_REGION', /required when BLOB_PROVIDER is s3/],
    [{ ...sqsEnv, AWS_REGION: 'Ireland' }, 'AWS_REGION', /region such as eu-west-1/],
    [{ ...sqsEnv, SQS_QUEUE_URL_PREFIX: 'https://sqs.eu-west-1.amazonaws.com/123456789012' }, 'SQS_QUEUE_URL_PREFIX', /must end with "\/"/],
    [{ ...sqsEnv, SQS_QUEUE_URL_PREFIX: 'sqs.eu-west-1.amazonaws.com/1/' }, 'SQS_QUEUE_URL_PREFIX', /http\(s\) URL/],
    [{ ...sqsEnv, SQS_QUEUE_NAME_PREFIX: 'portico.prod.' }, 'SQS_QUEUE_NAME_PREFIX', /letters, digits/],
    [{ ...sqsEnv, AWS_ENDPOINT_URL_SQS: 'localhost:9324' }, 'AWS_ENDPOINT_URL_SQS', /http\(s\) URL/],
    [{ BLOB_PROVIDER: 's3', AWS_REGION: 'eu-west-1' }, 'S3_BUCKET_PREFIX', /required when BLOB_PROVIDER is s3/],
    [{ ...s3Env, S3_BUCKET_PREFIX: 'Acme_Prod-' }, 'S3_BUCKET_PREFIX', /lower-case letters/],
    [{ ...s3Env, S3_FORCE_PATH_STYLE: 'sometimes' }, 'S3_FORCE_PATH_STYLE', /true or false/],
  ])('refuses %j at start-up, naming %s', (env, variable, problem) => {
    const error = configError(env as Record<string, string>);
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(problem);
    expect(error.message).toContain(variable);
  });
});

describe('health checks follow the providers', () => {
  useStaticAwsCredentials();
  const sqs = mockClient(SQSClient);
  const s3 = mockClient(S3Client);
  afterEach(() => {
    sqs.reset();
    s3.reset();
  });

  it('checks Storage only while a port uses it, and SQS and S3 when selected', () => {
    expect(Object.keys(dependencyChecks(config({})))).toEqual([]);
    expect(Object.keys(dependencyChecks(config({ AzureWebJobsStorage: AZURITE })))).toEqual(['storage']);
    expect(Object.keys(dependencyChecks(config({ AzureWebJobsStorage: AZURITE, ...sqsEnv })))).toEqual(['storage', 'sqs']);
    expect(Object.keys(dependencyChecks(config({ AzureWebJobsStorage: AZURITE, ...sqsEnv, ...s3Env })))).toEqual(['sqs', 's3']);
    // Without a job queue to ask about, there is nothing for the SQS check to probe.
    expect(Object.keys(checksFor(config(sqsEnv), undefined))).toEqual([]);
  });

  it('the SQS check asks for the first job queue’s attributes, and fails when that queue is missing', async () => {
    const checks = dependencyChecks(config(sqsEnv));
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { QueueArn: 'arn' } });
    await expect(checks.sqs!(signal())).resolves.toBeUndefined();
    expect(sqs.commandCalls(GetQueueAttributesCommand)[0]!.args[0].input.QueueUrl).toBe(`${URL_PREFIX}portico-prod-${jobs[0]!.queue}`);
    sqs.on(GetQueueAttributesCommand).rejects(new QueueDoesNotExist({ message: 'The specified queue does not exist.', $metadata: { httpStatusCode: 400 } }));
    await expect(checks.sqs!(signal())).rejects.toBeInstanceOf(QueueDoesNotExist);
  });

  it('the S3 check asks HeadBucket for the job-payload bucket', async () => {
    const checks = dependencyChecks(config(s3Env));
    s3.on(HeadBucketCommand).resolves({});
    await expect(checks.s3!(signal())).resolves.toBeUndefined();
    expect(s3.commandCalls(HeadBucketCommand)[0]!.args[0].input).toEqual({ Bucket: 'acme-prod-job-payloads' });
    s3.on(HeadBucketCommand).rejects(Object.assign(new Error('Forbidden'), { name: 'Forbidden', $metadata: { httpStatusCode: 403 } }));
    await expect(checks.s3!(signal())).rejects.toThrow('Forbidden');
  });
});

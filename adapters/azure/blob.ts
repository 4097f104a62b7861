/**
 * Azure blob trigger -> S3Event with one record. The container is the bucket and the blob
 * name the key (URL-encoded, as S3 sends it); the content stays reachable in context.platform.
 */
import type { InvocationContext } from '@azure/functions';
import type { S3Event } from 'aws-lambda';
import type { BlobLambda, BlobTrigger, FunctionDef } from '../../kernel/functions.ts';
import { s3Key, s3RecordEvent } from '../lambda-shapes.ts';
import { lambdaContext } from './context.ts';
import { hostSettings } from './host-settings.ts';

export { s3Key };

export function toS3Event(blob: unknown, trigger: BlobTrigger, invocation: InvocationContext, now = new Date()): S3Event {
  const metadata = (invocation.triggerMetadata ?? {}) as Record<string, unknown>;
  const path = String(metadata.blobTrigger ?? trigger.path);
  const slash = path.indexOf('/');
  const container = path.slice(0, slash);
  const name = path.slice(slash + 1);
  const properties = (metadata.properties ?? {}) as { length?: number; eTag?: string; contentType?: string };
  const size = properties.length ?? (Buffer.isBuffer(blob) ? blob.length : 0);
  return s3RecordEvent({
    eventSource: 'azure:blob',
    region: process.env.REGION_NAME ?? 'local',
    time: now.toISOString(),
    requestId: invocation.invocationId,
    principal: '',
    sourceIp: '',
    configurationId: invocation.functionName,
    bucket: container,
    bucketArn: `azure:blob:${container}`,
    name,
    size,
    eTag: String(properties.eTag ?? ''),
    sequencer: String(now.getTime()),
  });
}

export function azureBlobHandler(def: FunctionDef<BlobTrigger>, handler: () => Promise<BlobLambda>) {
  const settings = hostSettings();
  return async (blob: unknown, invocation: InvocationContext): Promise<void> => {
    const context = lambdaContext(invocation, settings.functionTimeoutMs, { blob, invocation });
    await (await handler())(toS3Event(blob, def.trigger, invocation), context);
  };
}

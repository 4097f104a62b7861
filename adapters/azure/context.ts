/**
 * Lambda's Context, built from an Azure invocation. `getRemainingTimeInMillis` counts down from
 * the host's timeout; middy's timeout handling silently does nothing without it.
 */
import type { InvocationContext } from '@azure/functions';
import type { Context } from 'aws-lambda';
import { version } from '../../app/project.ts';
import type { PorticoContext } from '../../middleware/context.ts';

const unsupported = (name: string) => () => {
  throw new Error(`context.${name}() is a Lambda callback API; return a value or throw instead.`);
};

export function lambdaContext(
  invocation: InvocationContext,
  timeoutMs: number,
  raw: unknown,
  runtime: 'azure' | 'local' = 'azure',
  now: () => number = Date.now,
): Context {
  const deadline = now() + timeoutMs;
  const context: Partial<PorticoContext> & Context = {
    callbackWaitsForEmptyEventLoop: false,
    functionName: invocation.functionName,
    functionVersion: version,
    invokedFunctionArn: `azure:function:${invocation.functionName}`,
    memoryLimitInMB: process.env.PORTICO_MEMORY_MB ?? '1536',
    awsRequestId: invocation.invocationId,
    logGroupName: 'azure-functions',
    logStreamName: invocation.invocationId,
    getRemainingTimeInMillis: () => Math.max(0, deadline - now()),
    done: unsupported('done'),
    fail: unsupported('fail'),
    succeed: unsupported('succeed'),
    platform: { runtime, raw },
  };
  return context;
}

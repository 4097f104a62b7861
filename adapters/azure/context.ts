/**
 * Lambda's Context, built from an Azure invocation. `getRemainingTimeInMillis` counts down from
 * the host's timeout; middy's timeout handling silently does nothing without it.
 */
import type { InvocationContext } from '@azure/functions';
import type { Context } from 'aws-lambda';
import { lambdaContextOf } from '../lambda-shapes.ts';

export function lambdaContext(
  invocation: InvocationContext,
  timeoutMs: number,
  raw: unknown,
  runtime: 'azure' | 'local' = 'azure',
  now: () => number = Date.now,
): Context {
  return lambdaContextOf({
    functionName: invocation.functionName,
    arn: `azure:function:${invocation.functionName}`,
    memoryMB: process.env.PORTICO_MEMORY_MB ?? '1536',
    requestId: invocation.invocationId,
    logGroup: 'azure-functions',
    timeoutMs,
    platform: { runtime, raw },
    now,
  });
}

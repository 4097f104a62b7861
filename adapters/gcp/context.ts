/**
 * Lambda's Context for a Cloud Run functions invocation. `getRemainingTimeInMillis` counts down
 * from the function's timeout on Google Cloud (names.ts), the deadline the platform enforces;
 * the callers read host.json once, when they are built, not per invocation.
 */
import type { Context } from 'aws-lambda';
import type { FunctionDef } from '../../kernel/functions.ts';
import { lambdaContextOf } from '../lambda-shapes.ts';
import type { HostSettings } from '../azure/host-settings.ts';
import { GCP_MEMORY_MB, gcpTimeoutSeconds } from './names.ts';

export function gcpContext(def: FunctionDef, host: HostSettings, invocationId: string, raw: unknown, now: () => number = Date.now): Context {
  return lambdaContextOf({
    functionName: def.name,
    arn: `gcp:function:${def.name}`,
    memoryMB: String(GCP_MEMORY_MB),
    requestId: invocationId,
    logGroup: 'cloud-run-functions',
    timeoutMs: gcpTimeoutSeconds(def, host) * 1000,
    platform: { runtime: 'gcp', raw },
    now,
  });
}

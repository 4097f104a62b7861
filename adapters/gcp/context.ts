/**
 * Lambda's Context for a Cloud Run functions invocation. `getRemainingTimeInMillis` counts down
 * from the function's timeout on Google Cloud (names.ts), the deadline the platform enforces.
 */
import type { Context } from 'aws-lambda';
import { version } from '../../app/project.ts';
import type { FunctionDef } from '../../kernel/functions.ts';
import type { PorticoContext } from '../../middleware/context.ts';
import { gcpTimeoutSeconds } from './names.ts';

const unsupported = (name: string) => () => {
  throw new Error(`context.${name}() is a Lambda callback API; return a value or throw instead.`);
};

/** Cloud Run functions' default memory, as the generated deployment asks for it. */
const MEMORY_MB = '1024';

export function gcpContext(def: FunctionDef, invocationId: string, raw: unknown, now: () => number = Date.now): Context {
  const deadline = now() + gcpTimeoutSeconds(def) * 1000;
  const context: Partial<PorticoContext> & Context = {
    callbackWaitsForEmptyEventLoop: false,
    functionName: def.name,
    functionVersion: version,
    invokedFunctionArn: `gcp:function:${def.name}`,
    memoryLimitInMB: MEMORY_MB,
    awsRequestId: invocationId,
    logGroupName: 'cloud-run-functions',
    logStreamName: invocationId,
    getRemainingTimeInMillis: () => Math.max(0, deadline - now()),
    done: unsupported('done'),
    fail: unsupported('fail'),
    succeed: unsupported('succeed'),
    platform: { runtime: 'gcp', raw },
  };
  return context;
}

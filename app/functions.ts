/**
 * THE function table: every function Portico runs, in one list. The Azure registration, the
 * local host, serverless.yml and the API docs are all generated from it. Services add their
 * definitions here; nothing else registers functions.
 */
import type { FunctionDef } from '../kernel/functions.ts';
import { jobs } from './jobs.ts';
import { jobFunctions } from '../handlers/jobs/functions.ts';
import { identityFunctions } from '../handlers/identity/functions.ts';
import { operationsFunctions } from '../handlers/operations/functions.ts';
import { systemFunctions } from '../handlers/system/functions.ts';
import { wardrobeFunctions } from '../handlers/wardrobe/functions.ts';

export const functions: readonly FunctionDef[] = [
  ...systemFunctions,
  ...identityFunctions,
  ...operationsFunctions,
  ...wardrobeFunctions,
  ...jobFunctions(jobs),
] as FunctionDef[];

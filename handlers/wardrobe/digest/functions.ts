/** The wardrobe's digest routes and the weekly timer (the job's worker functions come from the job list). */
import { defineFunction, type FunctionDef } from '../../../kernel/functions.ts';
import { digest, digestPage, historyQuery, runQuery, runStarted } from './schemas.ts';

const problem = { description: 'Problem details (application/problem+json)' };
const user = { 401: problem, 429: problem };

/** Mondays at 06:00 UTC. */
export const weeklyDigest = defineFunction({
  name: 'wardrobe-digest-weekly',
  trigger: { kind: 'timer', schedule: '0 0 6 * * 1' },
  handler: 'handlers/wardrobe/digest/weekly.timer#weeklyDigest',
});

export const latestDigest = defineFunction({
  name: 'wardrobe-digest-latest',
  trigger: {
    kind: 'http', method: 'GET', route: 'digest/latest', auth: 'user',
    summary: "The caller's most recent weekly digest (404 until one exists).",
    responses: { 200: { description: 'The digest', schema: digest }, 404: problem, ...user },
  },
  handler: 'handlers/wardrobe/digest/digest.routes#latest',
});

export const digestHistory = defineFunction({
  name: 'wardrobe-digest-history',
  trigger: {
    kind: 'http', method: 'GET', route: 'digest', auth: 'user',
    summary: "The caller's digests, newest week first, a page at a time.",
    request: { query: historyQuery },
    responses: { 200: { description: 'A page of digests', schema: digestPage }, 400: problem, ...user },
  },
  handler: 'handlers/wardrobe/digest/digest.routes#history',
});

export const runDigest = defineFunction({
  name: 'admin-digest-run',
  trigger: {
    kind: 'http', method: 'POST', route: 'admin/digest/run', auth: 'admin',
    summary: 'Runs the weekly digest now, for every owner of items or for `?userId=`: 202 with the jobs started.',
    request: { query: runQuery },
    responses: { 202: { description: 'The run that was started', schema: runStarted }, 400: problem, 401: problem, 403: problem },
  },
  handler: 'handlers/wardrobe/digest/digest.routes#run',
});

export const digestFunctions: readonly FunctionDef[] = [weeklyDigest, latestDigest, digestHistory, runDigest];

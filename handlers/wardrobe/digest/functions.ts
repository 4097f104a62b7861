/** The wardrobe's digest routes and the weekly timer (the job's worker functions come from the job list). */
import { defineFunction, type FunctionDef } from '../../../kernel/functions.ts';
import { digestPage, feedbackList, feedbackQuery, feedbackRequest, historyQuery, latestDigestResponse, runOutcome, runOwnQuery, runQuery, runStarted, statusOk } from './schemas.ts';

const problem = { description: 'Problem details (application/problem+json)' };
const user = { 401: problem, 429: problem };
const invalid = { description: '`validation_failed`: the query or body does not match its schema' };
const noDigest = { description: "`not_found`: no such digest of the caller's (another user's digest is not found either)" };

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
    summary: "The caller's newest digest, `{digest: null}` before the first. ETag = quoted SHA-256 of the sorted-key JSON; a matching If-None-Match answers 304.",
    responses: {
      200: { description: 'The digest (ETag, Cache-Control: no-cache, no-store, max-age=0, must-revalidate)', schema: latestDigestResponse },
      304: { description: 'Not modified: If-None-Match named the current ETag' },
      ...user,
    },
  },
  handler: 'handlers/wardrobe/digest/digest.routes#latest',
});

export const digestHistory = defineFunction({
  name: 'wardrobe-digest-history',
  trigger: {
    kind: 'http', method: 'GET', route: 'digest', auth: 'user',
    summary: "The caller's digests, newest first, a page at a time.",
    request: { query: historyQuery },
    responses: { 200: { description: 'A page of digests', schema: digestPage }, 400: problem, ...user },
  },
  handler: 'handlers/wardrobe/digest/digest.routes#history',
});

export const digestFeedbackList = defineFunction({
  name: 'wardrobe-digest-feedback-list',
  trigger: {
    kind: 'http', method: 'GET', route: 'digest/feedback', auth: 'user',
    summary: "The caller's votes on a digest's suggestions (`?digestId=` required), by suggestion index.",
    request: { query: feedbackQuery },
    responses: { 200: { description: 'The votes', schema: feedbackList }, 400: invalid, 404: noDigest, ...user },
  },
  handler: 'handlers/wardrobe/digest/digest.routes#listFeedback',
});

export const digestFeedbackSend = defineFunction({
  name: 'wardrobe-digest-feedback-send',
  trigger: {
    kind: 'http', method: 'POST', route: 'digest/feedback', auth: 'user',
    summary: 'A thumbs up or down on one suggestion of a digest; voting again on it overwrites the vote.',
    request: { body: feedbackRequest },
    responses: {
      200: { description: 'Stored', schema: statusOk },
      400: { description: '`validation_failed` (e.g. a signal other than up/down) or `invalid_suggestion_index`' },
      404: noDigest,
      ...user,
    },
  },
  handler: 'handlers/wardrobe/digest/digest.routes#sendFeedback',
});

export const runOwnDigest = defineFunction({
  name: 'wardrobe-digest-run',
  trigger: {
    kind: 'http', method: 'POST', route: 'digest/run', auth: 'user',
    summary: "Builds the caller's digest now: `{status: ok, digest}`, or `{status: skipped, reason}` when the wardrobe is empty or unchanged since the last digest (`?force=true` builds anyway).",
    request: { query: runOwnQuery },
    responses: { 200: { description: 'Built or skipped', schema: runOutcome }, 400: invalid, ...user },
  },
  handler: 'handlers/wardrobe/digest/digest.routes#runOwn',
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

export const digestFunctions: readonly FunctionDef[] = [weeklyDigest, latestDigest, digestHistory, digestFeedbackList, digestFeedbackSend, runOwnDigest, runDigest];

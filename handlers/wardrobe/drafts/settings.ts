/** Draft settings: when a draft stuck in Processing is given up on. */
import { integer, type Env } from '../../../kernel/env.ts';

export interface DraftSettings {
  /** A draft Processing longer than this is marked Failed by the stuck-drafts timer (DRAFT_STUCK_AFTER_MINUTES). */
  stuckAfterMinutes: number;
}

export const DRAFT_VARIABLES = ['DRAFT_STUCK_AFTER_MINUTES'] as const;

export function loadDraftSettings(env: Env): DraftSettings {
  // The upstream's timer gives up after 2 hours; never sooner than a job's whole retry schedule could take.
  return Object.freeze({ stuckAfterMinutes: integer(env, 'DRAFT_STUCK_AFTER_MINUTES', 120, 15, 7 * 24 * 60) });
}

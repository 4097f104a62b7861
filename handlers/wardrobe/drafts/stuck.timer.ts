/**
 * The stuck-drafts timer: a draft still Processing DRAFT_STUCK_AFTER_MINUTES after its last
 * change (a job lost with its queue, a worker that never came back) becomes Failed with a
 * `draftError`, so the user can retry it. Claims its slot (a second firing does nothing), and
 * each change re-checks the draft, so a draft that finished meanwhile is left alone.
 */
import type { FunctionDef, TimerLambda, TimerTrigger } from '../../../kernel/functions.ts';
import { oncePerSlot, type SlotDeps } from '../../../jobs/slots.ts';
import { readModifyWrite } from '../../../domain/documents.ts';
import { isoSeconds } from '../../../domain/time.ts';
import { DRAFT_ERRORS } from './service.ts';
import type { DraftSettings } from './settings.ts';
import { draftsOf } from './store.ts';

export interface StuckTimerDeps extends SlotDeps {
  settings: { drafts: DraftSettings };
}

const PAGE = 100;

/** Fails every draft Processing since before `now - stuckAfter`; answers how many it failed. */
export async function failStuckDrafts(deps: Pick<StuckTimerDeps, 'documents' | 'clock' | 'settings'>): Promise<number> {
  const drafts = draftsOf(deps.documents);
  const cutoff = isoSeconds(deps.clock.now().getTime() - deps.settings.drafts.stuckAfterMinutes * 60_000);
  let failed = 0;
  let continuation: string | undefined;
  do {
    // Every user's drafts: a fan-out query, once per slot, over the few drafts in flight.
    const page = await drafts.query({
      filters: [{ field: 'draftStatus', op: '=', value: 'Processing' }, { field: 'draftUpdatedAt', op: '<', value: cutoff }],
      limit: PAGE,
      ...(continuation ? { continuation } : {}),
    });
    for (const stuck of page.items) {
      await readModifyWrite(drafts, stuck.id, stuck.userId, (current) => {
        if (!current || current.draftStatus !== 'Processing' || (current.draftUpdatedAt ?? '') >= cutoff) return undefined;
        failed += 1;
        const { etag: _etag, ...rest } = current;
        return { ...rest, draftStatus: 'Failed' as const, draftError: DRAFT_ERRORS.stuck, draftUpdatedAt: isoSeconds(deps.clock.now()) };
      });
    }
    continuation = page.continuation;
  } while (continuation);
  return failed;
}

export const stuckDrafts = (deps: StuckTimerDeps, def: FunctionDef<TimerTrigger>): TimerLambda =>
  oncePerSlot(
    def,
    async ({ slot }, _event, context) => {
      const failed = await failStuckDrafts(deps);
      deps.logger.info({ slot, failed, invocationId: context.awsRequestId }, 'stuck drafts failed');
    },
    deps,
  );

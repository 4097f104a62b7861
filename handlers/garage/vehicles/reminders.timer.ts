/**
 * The daily reminder timer: pages through every active reminder (bounded per run), marks the
 * due ones (by date, `remind_ahead_days` early, or by the vehicle's mileage, `remind_ahead_miles`
 * early), and e-mails each owner once per due period through the e-mail port.
 *
 * Idempotent without a run ledger: a reminder records when it fell due (`dueSince`) and when its
 * owner was told (`lastNotifiedAt`); a run sends only when the second is older than the first,
 * and claims the send with an ETag-checked write first, so a re-run the same day, or two hosts
 * firing at once, send nothing twice. A failed send releases the claim (tried again next run).
 */
import type { ScheduledEvent } from 'aws-lambda';
import { dueState } from '../../../domain/garage/reminders.ts';
import type { EmailSender } from '../../../domain/email.ts';
import { PreconditionFailedError } from '../../../domain/errors.ts';
import type { Clock, DocumentStore, Stored } from '../../../domain/ports.ts';
import type { TimerLambda } from '../../../kernel/functions.ts';
import type { Logger } from '../../../middleware/logger.ts';
import { garageRepository, remindersContainer, SCHEMA_VERSIONS, vehiclesContainer, type ReminderDoc, type VehicleDoc } from '../store.ts';
import type { VehiclesSettings } from './settings.ts';

export interface ReminderTimerDeps {
  documents: DocumentStore;
  clock: Clock;
  logger: Logger;
  email: EmailSender;
  settings: { vehicles: VehiclesSettings };
}

export interface ReminderRunSummary {
  checked: number;
  due: number;
  notified: number;
  /** Due, but the token that last wrote it carried no e-mail address. */
  unreachable: number;
  failed: number;
  /** The run stopped at GARAGE_REMINDERS_MAX_PER_RUN with reminders left. */
  truncated: boolean;
}

const vehicleName = (vehicle: VehicleDoc | undefined) => (vehicle ? vehicle.nickname ?? `${vehicle.year} ${vehicle.make} ${vehicle.model}` : 'your vehicle');

function reminderMail(reminder: ReminderDoc, vehicle: VehicleDoc | undefined, state: ReturnType<typeof dueState>) {
  const when = [state.dueOn ? `on ${state.dueOn}` : null, state.dueMiles !== null ? `at ${state.dueMiles} miles` : null].filter(Boolean).join(' or ');
  return {
    subject: `Service due: ${reminder.name} for ${vehicleName(vehicle)}`,
    text: [
      `${reminder.name} for ${vehicleName(vehicle)} is due${when ? ` ${when}` : ''}.`,
      vehicle?.mileage !== null && vehicle?.mileage !== undefined ? `Its recorded mileage is ${vehicle.mileage}.` : '',
      reminder.notes ? `Notes: ${reminder.notes}` : '',
      'You will not be reminded again until the reminder is updated (for example after the service is done).',
    ].filter(Boolean).join('\n\n'),
  };
}

/** One run over the reminders, as of the clock's today. Exported for tests and an operator's re-run. */
export async function runReminders(deps: ReminderTimerDeps): Promise<ReminderRunSummary> {
  const reminders = garageRepository<ReminderDoc>(deps.documents, remindersContainer);
  const vehicles = garageRepository<VehicleDoc>(deps.documents, vehiclesContainer);
  const { remindersPageSize, remindersMaxPerRun } = deps.settings.vehicles;
  const summary: ReminderRunSummary = { checked: 0, due: 0, notified: 0, unreachable: 0, failed: 0, truncated: false };
  const vehicleCache = new Map<string, Promise<VehicleDoc | undefined>>();
  const vehicleOf = (reminder: ReminderDoc) => {
    const key = `${reminder.userId}\u0000${reminder.vehicleId}`;
    if (!vehicleCache.has(key)) vehicleCache.set(key, vehicles.get(reminder.vehicleId, reminder.userId));
    return vehicleCache.get(key)!;
  };
  const stamp = () => deps.clock.now().toISOString();
  const today = () => stamp().slice(0, 10);

  async function check(reminder: Stored<ReminderDoc>): Promise<void> {
    const vehicle = await vehicleOf(reminder);
    const state = dueState(reminder, today(), vehicle?.mileage ?? null);
    const write = (changes: Partial<ReminderDoc>, etag: string) =>
      reminders.replace({ ...reminder, ...changes, schemaVersion: SCHEMA_VERSIONS['garage-reminders'] }, etag);
    if (!state.due) {
      // The period is over (its date moved, the vehicle was serviced): forget it.
      if (reminder.dueSince !== null) await write({ dueSince: null }, reminder.etag);
      return;
    }
    summary.due++;
    const dueSince = reminder.dueSince ?? stamp();
    if (reminder.lastNotifiedAt !== null && reminder.lastNotifiedAt >= dueSince) return;
    if (!reminder.ownerEmail) {
      summary.unreachable++;
      if (reminder.dueSince === null) await write({ dueSince }, reminder.etag);
      return;
    }
    // Claim the send: only the writer whose ETag still holds sends.
    const notifiedAt = stamp();
    const claimed = await write({ dueSince, lastNotifiedAt: notifiedAt }, reminder.etag);
    try {
      await deps.email.send({ to: reminder.ownerEmail, ...reminderMail(reminder, vehicle, state) });
      summary.notified++;
    } catch (error) {
      summary.failed++;
      deps.logger.warn({ reminderId: reminder.id, error: (error as Error).message }, 'reminder e-mail failed; it is tried again next run');
      await reminders.replace({ ...claimed, lastNotifiedAt: reminder.lastNotifiedAt }, claimed.etag).catch(() => undefined);
    }
  }

  let continuation: string | undefined;
  do {
    const page = await reminders.query({ filters: [{ field: 'isActive', op: '=', value: true }], limit: Math.min(remindersPageSize, remindersMaxPerRun - summary.checked), ...(continuation ? { continuation } : {}) });
    for (const reminder of page.items) {
      summary.checked++;
      try {
        await check(reminder);
      } catch (error) {
        // Someone changed it meanwhile (the owner, or another host's run): it is looked at again next run.
        if (!(error instanceof PreconditionFailedError)) {
          summary.failed++;
          deps.logger.warn({ reminderId: reminder.id, error: (error as Error).message }, 'reminder check failed');
        }
      }
    }
    continuation = page.continuation;
  } while (continuation && summary.checked < remindersMaxPerRun);
  summary.truncated = continuation !== undefined;
  if (summary.truncated) deps.logger.warn({ max: remindersMaxPerRun }, 'reminder run stopped at GARAGE_REMINDERS_MAX_PER_RUN; the rest wait for the next run');
  return summary;
}

/** The timer function (daily, see functions.ts). */
export const dailyReminders = (deps: ReminderTimerDeps): TimerLambda => async (_event: ScheduledEvent) => {
  const summary = await runReminders(deps);
  deps.logger.info({ ...summary }, 'garage reminder run finished');
};

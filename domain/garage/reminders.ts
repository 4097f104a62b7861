/**
 * When a service reminder is due: by date (its next due date, or the last service plus the
 * interval in months), `remindAheadDays` early; or by mileage (its next due mileage, or the last
 * odometer plus the interval in miles) against the vehicle's current mileage, `remindAheadMiles`
 * early. Pure: the daily timer feeds it today's date and the vehicle's mileage.
 */

export interface ReminderSchedule {
  intervalMiles: number | null;
  intervalMonths: number | null;
  lastPerformedOn: string | null;
  lastOdometer: number | null;
  nextDueOn: string | null;
  nextDueMiles: number | null;
  remindAheadMiles: number;
  remindAheadDays: number;
  isActive: boolean;
}

export interface DueState {
  due: boolean;
  /** What made it due (date first when both do). */
  reason: 'date' | 'mileage' | null;
  dueOn: string | null;
  dueMiles: number | null;
}

/** `YYYY-MM-DD` plus whole months, clamped to the month's last day (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export function dueDateOf(reminder: ReminderSchedule): string | null {
  if (reminder.nextDueOn) return reminder.nextDueOn;
  if (reminder.lastPerformedOn && reminder.intervalMonths) return addMonths(reminder.lastPerformedOn, reminder.intervalMonths);
  return null;
}

export function dueMilesOf(reminder: ReminderSchedule): number | null {
  if (reminder.nextDueMiles !== null) return reminder.nextDueMiles;
  if (reminder.lastOdometer !== null && reminder.intervalMiles) return reminder.lastOdometer + reminder.intervalMiles;
  return null;
}

/** Whether the reminder is due on `today` (YYYY-MM-DD) with the vehicle at `mileage` (null: unknown). */
export function dueState(reminder: ReminderSchedule, today: string, mileage: number | null): DueState {
  const dueOn = dueDateOf(reminder);
  const dueMiles = dueMilesOf(reminder);
  if (!reminder.isActive) return { due: false, reason: null, dueOn, dueMiles };
  if (dueOn !== null && today >= addDays(dueOn, -reminder.remindAheadDays)) return { due: true, reason: 'date', dueOn, dueMiles };
  if (dueMiles !== null && mileage !== null && mileage >= dueMiles - reminder.remindAheadMiles) return { due: true, reason: 'mileage', dueOn, dueMiles };
  return { due: false, reason: null, dueOn, dueMiles };
}

/** The fields whose change starts a new due period (so its owner may be told again). */
export const SCHEDULE_FIELDS = ['intervalMiles', 'intervalMonths', 'lastPerformedOn', 'lastOdometer', 'nextDueOn', 'nextDueMiles', 'remindAheadMiles', 'remindAheadDays', 'isActive'] as const;

/** The three kinds of a vehicle's children: their wire fields, defaults and server-owned state. */
import { SCHEDULE_FIELDS } from '../../../domain/garage/reminders.ts';
import { modsContainer, remindersContainer, servicesContainer, type ModDoc, type ReminderDoc, type ServiceRecordDoc } from '../store.ts';
import type { ChildKind } from './children.ts';

const trimmed = (value: unknown) => String(value).trim();

export const modKind: ChildKind<ModDoc> = {
  container: modsContainer,
  label: 'mod',
  fields: {
    name: { doc: 'name', initial: '', store: trimmed },
    description: { doc: 'description', initial: '' },
    installed_on: { doc: 'installedOn', initial: null },
  },
};

export const serviceKind: ChildKind<ServiceRecordDoc> = {
  container: servicesContainer,
  label: 'service record',
  fields: {
    name: { doc: 'name', initial: '', store: trimmed },
    description: { doc: 'description', initial: '' },
    performed_on: { doc: 'performedOn', initial: null },
    odometer_miles: { doc: 'odometerMiles', initial: null },
    cost_cents: { doc: 'costCents', initial: null },
    currency: { doc: 'currency', initial: 'USD', store: (value) => String(value).toUpperCase() },
  },
};

/** How far ahead its owner is told, when the reminder does not say. */
export const DEFAULT_REMIND_AHEAD = { miles: 500, days: 14 } as const;

export const reminderKind: ChildKind<ReminderDoc> = {
  container: remindersContainer,
  label: 'reminder',
  fields: {
    name: { doc: 'name', initial: '', store: trimmed },
    notes: { doc: 'notes', initial: '' },
    interval_miles: { doc: 'intervalMiles', initial: null },
    interval_months: { doc: 'intervalMonths', initial: null },
    last_performed_on: { doc: 'lastPerformedOn', initial: null },
    last_odometer: { doc: 'lastOdometer', initial: null },
    next_due_on: { doc: 'nextDueOn', initial: null },
    next_due_miles: { doc: 'nextDueMiles', initial: null },
    remind_ahead_miles: { doc: 'remindAheadMiles', initial: DEFAULT_REMIND_AHEAD.miles },
    remind_ahead_days: { doc: 'remindAheadDays', initial: DEFAULT_REMIND_AHEAD.days },
    is_active: { doc: 'isActive', initial: true },
  },
  initial: () => ({ dueSince: null, lastNotifiedAt: null }),
  /**
   * A change to its schedule (the service was done, the interval moved) ends the current due
   * period, so the timer may tell its owner again when it next falls due; other edits keep it.
   * The owner's e-mail is refreshed from the caller's token on every write.
   */
  settle: (next, previous, context) => {
    const rescheduled = previous !== undefined && SCHEDULE_FIELDS.some((field) => next[field] !== previous[field]);
    return {
      ...next,
      ...(rescheduled ? { dueSince: null } : {}),
      ownerEmail: context.email ?? previous?.ownerEmail ?? null,
    };
  },
  extraView: (doc) => ({ due_since: doc.dueSince, last_notified_at: doc.lastNotifiedAt }),
};

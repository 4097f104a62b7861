/**
 * The daily reminder timer, driven by the test clock: reminders fall due by date (remind ahead
 * days early) and by the vehicle's mileage (remind ahead miles early), the owner is e-mailed once
 * per due period (a re-run the same day, or the next day, sends nothing more), a changed schedule
 * starts a new period, a failed send is tried again, and a run is bounded.
 */
import { describe, expect, it } from '@jest/globals';
import { addMonths, dueState } from '../../../domain/garage/reminders.ts';
import { setup } from './support.ts';

const DAY = 86_400_000;
const car = { make: 'Mazda', model: 'MX-5', year: 1998, mileage: 100_000 };

async function reminderOf(t: ReturnType<typeof setup>, user: string, id: string, reminderId: string) {
  const list = await t.as(user).call('garage-reminders-list', { params: { id } });
  return list.json!.items.find((r: { id: string }) => r.id === reminderId);
}

describe('reminder due rules', () => {
  it('computes the due date from the interval and clamps to the month end; mileage counts only when known', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2023-11-30', 3)).toBe('2024-02-29');
    const base = { intervalMiles: 5000, intervalMonths: 6, lastPerformedOn: '2026-05-20', lastOdometer: 95_000, nextDueOn: null, nextDueMiles: null, remindAheadMiles: 500, remindAheadDays: 14, isActive: true };
    expect(dueState(base, '2026-11-05', null)).toMatchObject({ due: false, dueOn: '2026-11-20', dueMiles: 100_000 });
    expect(dueState(base, '2026-11-06', null)).toMatchObject({ due: true, reason: 'date' });
    expect(dueState(base, '2026-10-01', 99_499)).toMatchObject({ due: false });
    expect(dueState(base, '2026-10-01', 99_500)).toMatchObject({ due: true, reason: 'mileage' });
    expect(dueState({ ...base, isActive: false }, '2027-01-01', 200_000)).toMatchObject({ due: false });
  });
});

describe('the daily reminder timer', () => {
  it('e-mails the owner once per due period, by date and by mileage, and never another user', async () => {
    const t = setup();
    const id = (await t.as('ann').createVehicle(car)).json!.id as string;
    const byDate = (await t.as('ann').call('garage-reminders-create', { params: { id }, body: { name: 'Inspection', next_due_on: '2026-12-01', remind_ahead_days: 7 } })).json!.id as string;
    const byMiles = (await t.as('ann').call('garage-reminders-create', { params: { id }, body: { name: 'Oil change', last_odometer: 96_000, interval_miles: 5000, remind_ahead_miles: 500 } })).json!.id as string;
    const bobCar = (await t.as('bob').createVehicle({ ...car, mileage: 10 })).json!.id as string;
    await t.as('bob').call('garage-reminders-create', { params: { id: bobCar }, body: { name: 'Tyres', next_due_on: '2030-01-01' } });

    // 2026-11-22: neither is due (the date is 9 days off with 7 ahead; 100,000 < 101,000 - 500).
    await t.runTimer();
    expect(t.email.sent).toEqual([]);

    // The odometer moves: the mileage reminder falls due.
    await t.as('ann').call('garage-vehicles-update', { params: { id }, body: { mileage: 100_600 } });
    await t.runTimer();
    expect(t.email.sent).toEqual([expect.objectContaining({ to: 'ann@example.test', subject: 'Service due: Oil change for 1998 Mazda MX-5' })]);
    expect(t.email.sent[0]!.text).toMatch(/at 101000 miles/);
    expect(await reminderOf(t, 'ann', id, byMiles)).toMatchObject({ due_since: '2026-11-22T10:00:00.000Z', last_notified_at: '2026-11-22T10:00:00.000Z' });

    // A re-run the same day sends nothing; so does the next day.
    await t.runTimer();
    t.clock.advance(DAY);
    await t.runTimer();
    expect(t.email.sent).toHaveLength(1);

    // 2026-11-24: 7 days before 2026-12-01 the date reminder falls due, once.
    t.clock.advance(DAY);
    await t.runTimer();
    await t.runTimer();
    expect(t.email.sent.map((mail) => mail.subject)).toEqual(['Service due: Oil change for 1998 Mazda MX-5', 'Service due: Inspection for 1998 Mazda MX-5']);
    expect(await reminderOf(t, 'ann', id, byDate)).toMatchObject({ due_since: '2026-11-24T10:00:00.000Z' });
    expect(t.email.sent.every((mail) => mail.to === 'ann@example.test')).toBe(true);
  });

  it('starts a new due period when the schedule changes, but not on other edits', async () => {
    const t = setup();
    const id = (await t.as('ann').createVehicle(car)).json!.id as string;
    const reminderId = (await t.as('ann').call('garage-reminders-create', { params: { id }, body: { name: 'Oil change', next_due_miles: 100_000 } })).json!.id as string;
    await t.runTimer();
    expect(t.email.sent).toHaveLength(1);

    // Editing the notes keeps the period: no second mail.
    await t.as('ann').call('garage-reminders-update', { params: { id, reminderId }, body: { notes: 'Use 5W-30' } });
    t.clock.advance(DAY);
    await t.runTimer();
    expect(t.email.sent).toHaveLength(1);

    // Serviced: the next due mileage moves past the odometer; the period ends...
    await t.as('ann').call('garage-reminders-update', { params: { id, reminderId }, body: { next_due_miles: 105_000 } });
    t.clock.advance(DAY);
    await t.runTimer();
    expect(await reminderOf(t, 'ann', id, reminderId)).toMatchObject({ due_since: null });
    // ...and when it falls due again its owner is told again.
    await t.as('ann').call('garage-vehicles-update', { params: { id }, body: { mileage: 104_700 } });
    t.clock.advance(DAY);
    await t.runTimer();
    expect(t.email.sent).toHaveLength(2);
    expect(t.email.sent[1]!.text).toMatch(/Use 5W-30/);
  });

  it('tries a failed send again on the next run, and skips inactive reminders', async () => {
    const t = setup();
    const id = (await t.as('ann').createVehicle(car)).json!.id as string;
    await t.as('ann').call('garage-reminders-create', { params: { id }, body: { name: 'Brakes', next_due_on: '2026-11-01' } });
    await t.as('ann').call('garage-reminders-create', { params: { id }, body: { name: 'Paused', next_due_on: '2026-11-01', is_active: false } });
    t.email.fail = true;
    await t.runTimer();
    expect(t.email.sent).toEqual([]);
    t.email.fail = false;
    t.clock.advance(DAY);
    await t.runTimer();
    expect(t.email.sent.map((mail) => mail.subject)).toEqual(['Service due: Brakes for 1998 Mazda MX-5']);
  });

  it('reads at most GARAGE_REMINDERS_MAX_PER_RUN reminders a run, a page at a time', async () => {
    const t = setup({ env: { GARAGE_REMINDERS_PAGE_SIZE: '2', GARAGE_REMINDERS_MAX_PER_RUN: '3' } });
    const id = (await t.as('ann').createVehicle(car)).json!.id as string;
    for (const name of ['a', 'b', 'c', 'd', 'e']) await t.as('ann').call('garage-reminders-create', { params: { id }, body: { name, next_due_on: '2026-11-01' } });
    await t.runTimer();
    expect(t.email.sent).toHaveLength(3);
    expect(t.lines.some((line) => /GARAGE_REMINDERS_MAX_PER_RUN/.test(line))).toBe(true);
  });
});

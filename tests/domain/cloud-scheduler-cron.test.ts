import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { functions } from '../../app/functions.ts';
import { parseNcrontab, ScheduleError, toCloudSchedulerCron } from '../../domain/schedule/ncrontab.ts';
import { scheduleError } from '../support/assertions.ts';
import { DAY_NAMES, fieldArb, MONTH_NAMES } from '../support/ncrontab-arbitraries.ts';

const sorted = (values: Iterable<number>) => [...new Set(values)].sort((a, b) => a - b);
const range = (lo: number, hi: number) => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);

/**
 * An independent reading of a unix-cron field (`*`, `n`, `a-b`, each with an optional `/step`, in
 * a list), written apart from the module so the tests do not grade it with itself. Day-of-week 7 is Sunday.
 */
function cronField(text: string, min: number, max: number): number[] {
  const values: number[] = [];
  for (const part of text.split(',')) {
    expect(part).toMatch(/^(\*|\d+(-\d+)?)(\/\d+)?$/);
    const [span = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    const [a = '', b] = span.split('-');
    const lo = span === '*' ? min : Number(a);
    const hi = span === '*' ? max : b === undefined ? (stepText === undefined ? lo : max) : Number(b);
    for (let v = lo; v <= hi; v += step) values.push(v);
  }
  return sorted(values);
}

/** Which (day-of-month, day-of-week) pairs fire: unix-cron ORs the two day fields unless one starts with `*`. */
function cronDays(dom: string, dow: string): string[] {
  const doms = cronField(dom, 1, 31);
  const dows = cronField(dow, 0, 7).map((d) => d % 7);
  const either = !dom.startsWith('*') && !dow.startsWith('*');
  return range(1, 31).flatMap((d) => range(0, 6).flatMap((w) => ((either ? doms.includes(d) || dows.includes(w) : doms.includes(d) && dows.includes(w)) ? [`${d}/${w}`] : [])));
}

/** The minutes, hours, months and days a unix-cron expression fires on. */
function cronMeaning(cron: string) {
  const fields = cron.split(' ');
  expect(fields).toHaveLength(5);
  const [minute = '', hour = '', dom = '', month = '', dow = ''] = fields;
  return { minutes: cronField(minute, 0, 59), hours: cronField(hour, 0, 23), months: cronField(month, 1, 12), days: cronDays(dom, dow) };
}

/** The same for NCRONTAB, from the parser (which the ncrontab tests check): both day fields must match. */
function ncrontabMeaning(expr: string) {
  const s = parseNcrontab(expr);
  const days = range(1, 31).flatMap((d) => range(0, 6).flatMap((w) => (s.daysOfMonth.has(d) && s.daysOfWeek.has(w) ? [`${d}/${w}`] : [])));
  return { minutes: sorted(s.minutes), hours: sorted(s.hours), months: sorted(s.months), days };
}

describe('toCloudSchedulerCron', () => {
  it('translates every schedule of the function table, firing on the same minutes', () => {
    const timers = functions.flatMap((def) => (def.trigger.kind === 'timer' ? [def.trigger.schedule] : []));
    expect(timers.length).toBeGreaterThan(5);
    for (const schedule of timers) expect(cronMeaning(toCloudSchedulerCron(schedule))).toEqual(ncrontabMeaning(schedule));
  });

  it.each([
    ['0 0 * * * *', '0 * * * *'], // purge-expired, hourly
    ['0 */15 * * * *', '*/15 * * * *'], // every quarter hour
    ['0 0 6 * * 1', '0 6 * * 1'], // Mondays 06:00
    ['0 * * * * *', '* * * * *'], // every minute
    ['0 17 * * * *', '17 * * * *'],
  ])('writes the table schedule %s as %s', (ncrontab, cron) => {
    expect(toCloudSchedulerCron(ncrontab)).toBe(cron);
  });

  it.each([
    ['0 10-20 * * * *', '10-20 * * * *', 'a range'],
    ['0 5,7,30 * * * *', '5,7,30 * * * *', 'a list'],
    ['0 1-20/5 * * * *', '1,6,11,16 * * * *', 'a stepped range stopping short: written out'],
    ['0 5/15 * * * *', '5,20,35,50 * * * *', 'a step from a start: written out (unix-cron has no `a/n`)'],
    ['0 0 */6 * * *', '0 */6 * * *', 'a step over the whole field'],
    ['0 0 0 */2 * *', '0 0 */2 * *', 'a day-of-month step from the 1st'],
    ['0 0 0 * JAN,MAR-MAY *', '0 0 * 1,3-5 *', 'month names as numbers'],
    ['0 0 9 * * MON-FRI', '0 9 * * 1-5', 'day names as numbers'],
    ['0 0 9 * * sun', '0 9 * * 0', 'a lower-case day name, Sunday as 0'],
    ['0 0 9 * * 7', '0 9 * * 0', 'NCRONTAB\'s 7 for Sunday'],
    ['0 0 9 * * 5-7', '0 9 * * 0,5,6', 'a day range running to 7'],
    ['0 0 9 * * */2', '0 9 * * 0,2,4,6', 'a day-of-week step, written out'],
    ['0 0 0 13 * 0-6', '0 0 13 * *', 'both day fields written, one selecting every day: no OR to fear'],
    ['0 0-59 0-23 1-31 1-12 0-7', '* * * * *', 'whole fields written as ranges'],
    ['0 0 0 29 2 *', '0 0 29 2 *', '29 February, which does occur'],
  ])('translates %s to %s (%s)', (ncrontab, cron) => {
    const translated = toCloudSchedulerCron(ncrontab);
    expect(translated).toBe(cron);
    expect(cronMeaning(translated)).toEqual(ncrontabMeaning(ncrontab));
  });

  it('refuses seconds Cloud Scheduler cannot fire on, saying how often the schedule would fire', () => {
    expect(scheduleError(() => toCloudSchedulerCron('*/30 * * * * *'))).toBe(
      'Cannot translate "*/30 * * * * *" to Cloud Scheduler: Cloud Scheduler fires at most once a minute, on the minute; "*/30 * * * * *" fires every 30 seconds',
    );
    expect(scheduleError(() => toCloudSchedulerCron('* * * * * *'))).toMatch(/fires every 1 second$/);
    expect(scheduleError(() => toCloudSchedulerCron('30 0 * * * *'))).toMatch(/once a minute, on the minute; "30 0 \* \* \* \*" fires at second 30 of the minute$/);
    expect(scheduleError(() => toCloudSchedulerCron('0,15 * * * * *'))).toMatch(/fires 2 times a minute \(at seconds 0,15\)$/);
  });

  it('refuses both day fields restricted: NCRONTAB needs both to match, unix-cron either', () => {
    expect(scheduleError(() => toCloudSchedulerCron('0 0 0 13 * FRI'))).toMatch(
      /^Cannot translate "0 0 0 13 \* FRI" to Cloud Scheduler: it restricts both day-of-month \("13"\) and day-of-week \("FRI"\)/,
    );
  });

  it('refuses a schedule that never fires, and passes on what is not NCRONTAB at all', () => {
    expect(scheduleError(() => toCloudSchedulerCron('0 0 0 30 2 *'))).toMatch(/it never fires/);
    expect(scheduleError(() => toCloudSchedulerCron('0 0 * * *'))).toMatch(/expected 6 fields/);
    expect(scheduleError(() => toCloudSchedulerCron('0 60 * * * *'))).toMatch(/minute field "60"/);
  });
});

const ncrontabArb = fc
  // Mostly on the minute, so most draws reach the translation of the other fields.
  .tuple(fc.oneof({ weight: 4, arbitrary: fc.constant('0') }, { weight: 1, arbitrary: fieldArb(0, 59) }), fieldArb(0, 59), fieldArb(0, 23), fieldArb(1, 31), fieldArb(1, 12, MONTH_NAMES), fieldArb(0, 6, DAY_NAMES, 7))
  .map((fields) => fields.join(' '));

describe('toCloudSchedulerCron, properties', () => {
  it('is exact (same minutes, hours, months and days) or a ScheduleError for seconds, both day fields or no firing at all', () => {
    fc.assert(
      fc.property(ncrontabArb, (expr) => {
        const s = parseNcrontab(expr);
        let cron: string;
        try {
          cron = toCloudSchedulerCron(expr);
        } catch (e) {
          expect(e).toBeInstanceOf(ScheduleError);
          const onTheMinute = s.seconds.size === 1 && s.seconds.has(0);
          const bothDays = s.daysOfMonth.size < 31 && s.daysOfWeek.size < 7;
          const never = ![...s.months].some((m) => [...s.daysOfMonth].some((d) => d <= [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!));
          expect(!onTheMinute || bothDays || never).toBe(true);
          return;
        }
        expect(s.seconds).toEqual(new Set([0]));
        expect(cronMeaning(cron)).toEqual(ncrontabMeaning(expr));
      }),
      { numRuns: 500 },
    );
  });
});

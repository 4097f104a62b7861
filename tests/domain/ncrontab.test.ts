import { describe, it, expect } from '@jest/globals';
import { nextOccurrence, parseNcrontab, slotOf, toAwsSchedule } from '../../domain/schedule/ncrontab.ts';
import { scheduleError } from '../support/assertions.ts';

const sorted = (values: ReadonlySet<number>) => [...values].sort((a, b) => a - b);
const range = (lo: number, hi: number) => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
const next = (expr: string, after: string) => nextOccurrence(parseNcrontab(expr), new Date(after)).toISOString();
const slot = (expr: string, firedAt: string) => slotOf(parseNcrontab(expr), new Date(firedAt));

describe('parseNcrontab', () => {
  it('expands *, single numbers, ranges, lists and all step forms', () => {
    const s = parseNcrontab('*/15 10-20/5 3,7,11 25/2 2-4 *');
    expect(s.expression).toBe('*/15 10-20/5 3,7,11 25/2 2-4 *');
    expect(sorted(s.seconds)).toEqual([0, 15, 30, 45]);
    expect(sorted(s.minutes)).toEqual([10, 15, 20]);
    expect(sorted(s.hours)).toEqual([3, 7, 11]);
    expect(sorted(s.daysOfMonth)).toEqual([25, 27, 29, 31]);
    expect(sorted(s.months)).toEqual([2, 3, 4]);
    expect(sorted(s.daysOfWeek)).toEqual(range(0, 6));
  });

  it('expands * to the full field range', () => {
    const s = parseNcrontab('* * * * * *');
    expect(sorted(s.seconds)).toEqual(range(0, 59));
    expect(sorted(s.minutes)).toEqual(range(0, 59));
    expect(sorted(s.hours)).toEqual(range(0, 23));
    expect(sorted(s.daysOfMonth)).toEqual(range(1, 31));
    expect(sorted(s.months)).toEqual(range(1, 12));
    expect(s.dayOfMonthRestricted).toBe(false);
    expect(s.dayOfWeekRestricted).toBe(false);
  });

  it('accepts month and day names case-insensitively, also in ranges and lists', () => {
    const s = parseNcrontab('0 0 0 * jan-Mar,DEC sun,Wed-FRI');
    expect(sorted(s.months)).toEqual([1, 2, 3, 12]);
    expect(sorted(s.daysOfWeek)).toEqual([0, 3, 4, 5]);
    expect(s.dayOfWeekRestricted).toBe(true);
  });

  it('treats day-of-week 7 as Sunday, alone and as a range end', () => {
    expect(sorted(parseNcrontab('0 0 0 * * 7').daysOfWeek)).toEqual([0]);
    expect(sorted(parseNcrontab('0 0 0 * * 5-7').daysOfWeek)).toEqual([0, 5, 6]);
  });

  it('tolerates surrounding and repeated whitespace', () => {
    expect(sorted(parseNcrontab('  0  30   2 * * *  ').hours)).toEqual([2]);
  });

  it.each([
    ['60 * * * * *', 'second'],
    ['0 60 * * * *', 'minute'],
    ['0 0 24 * * *', 'hour'],
    ['0 0 0 0 * *', 'day-of-month'],
    ['0 0 0 32 * *', 'day-of-month'],
    ['0 0 0 * 13 *', 'month'],
    ['0 0 0 * * 8', 'day-of-week'],
    ['*/0 * * * * *', 'second'],
    ['0 5-1 * * * *', 'minute'],
    ['0 0 JAN * * *', 'hour'],
    ['0 0 0 * FOO *', 'month'],
    ['0 0 0 * * MON-', 'day-of-week'],
    ['0 1,,2 * * * *', 'minute'],
    ['0 */x * * * *', 'minute'],
    ['0 1/2/3 * * * *', 'minute'],
    ['0 -5 * * * *', 'minute'],
  ])('rejects %s naming the %s field', (expr, field) => {
    const message = scheduleError(() => parseNcrontab(expr));
    expect(message).toContain(`"${expr}"`);
    expect(message).toContain(`${field} field`);
  });

  it.each(['', '0 0 * * *', '0 0 0 * * * *', 'garbage'])('rejects %j for its field count', (expr) => {
    expect(scheduleError(() => parseNcrontab(expr))).toMatch(/expected 6 fields/);
  });
});

describe('nextOccurrence', () => {
  it('finds every-5-minutes slots strictly after the given instant', () => {
    expect(next('0 */5 * * * *', '2026-03-10T10:02:17.400Z')).toBe('2026-03-10T10:05:00.000Z');
    expect(next('0 */5 * * * *', '2026-03-10T10:05:00.000Z')).toBe('2026-03-10T10:10:00.000Z');
    expect(next('0 */5 * * * *', '2026-03-10T10:04:59.999Z')).toBe('2026-03-10T10:05:00.000Z');
    expect(next('0 */5 * * * *', '2026-03-10T23:57:00.000Z')).toBe('2026-03-11T00:00:00.000Z');
  });

  it('runs a daily job at 02:30:00', () => {
    expect(next('0 30 2 * * *', '2026-03-10T01:00:00Z')).toBe('2026-03-10T02:30:00.000Z');
    expect(next('0 30 2 * * *', '2026-03-10T02:30:00Z')).toBe('2026-03-11T02:30:00.000Z');
  });

  it('skips the weekend for a weekday 09:00 job', () => {
    // 2026-03-13 is a Friday.
    expect(next('0 0 9 * * MON-FRI', '2026-03-13T09:00:00Z')).toBe('2026-03-16T09:00:00.000Z');
    expect(next('0 0 9 * * 1-5', '2026-03-13T08:59:59Z')).toBe('2026-03-13T09:00:00.000Z');
  });

  it('rolls over the month and the year', () => {
    expect(next('* * * * * *', '2026-12-31T23:59:59Z')).toBe('2027-01-01T00:00:00.000Z');
    expect(next('0 0 0 1 * *', '2026-12-31T23:59:59Z')).toBe('2027-01-01T00:00:00.000Z');
    expect(next('0 0 12 31 * *', '2026-03-31T12:00:00Z')).toBe('2026-05-31T12:00:00.000Z');
  });

  it('finds Feb 29 only in leap years', () => {
    expect(next('0 0 0 29 2 *', '2026-01-01T00:00:00Z')).toBe('2028-02-29T00:00:00.000Z');
  });

  it('ANDs day-of-month and day-of-week when both are restricted, as Azure (NCrontab) does', () => {
    // 2026-04-13 is a Monday, 2026-04-17 a Friday: neither is Friday the 13th. The next one is 2026-11-13.
    expect(next('0 0 12 13 * FRI', '2026-04-11T00:00:00Z')).toBe('2026-11-13T12:00:00.000Z');
    expect(next('0 0 12 1-7 * MON', '2026-04-07T00:00:00Z')).toBe('2026-05-04T12:00:00.000Z');
    expect(slot('0 0 12 13 * FRI', '2026-11-12T00:00:00Z')).toBe('2026-03-13T12:00:00Z');
  });

  it('ANDs them when either is *', () => {
    expect(next('0 0 12 * * FRI', '2026-04-11T00:00:00Z')).toBe('2026-04-17T12:00:00.000Z');
    expect(next('0 0 12 13 * *', '2026-04-14T00:00:00Z')).toBe('2026-05-13T12:00:00.000Z');
    expect(next('0 0 12 13 * *', '2026-03-14T00:00:00Z')).toBe('2026-04-13T12:00:00.000Z');
  });

  // "Quickly": it is decided from the fields, not by searching; a search for an occurrence that
  // never comes would run into Jest's timeout. The elapsed time is not asserted (it varies with load).
  it('throws for a schedule that never occurs, quickly, saying why', () => {
    expect(scheduleError(() => next('0 0 0 30 2 *', '2026-01-01T00:00:00Z'))).toContain('0 0 0 30 2 *');
    expect(scheduleError(() => next('* * * 31 4,6,9,11 *', '2026-01-01T00:00:00Z'))).toMatch(/no occurrence: none of its months has any of its days/);
    expect(scheduleError(() => slot('0 0 0 30,31 2 MON', '2026-01-01T00:00:00Z'))).toMatch(/no occurrence/);
  });

  it('finds occurrences years apart: Feb 29 on a given weekday, across the non-leap 2100', () => {
    // Leap days on a Monday: 2016, 2044, 2072, then 2112 (2100 is not a leap year): 40 years.
    expect(next('0 0 0 29 2 MON', '2026-01-01T00:00:00Z')).toBe('2044-02-29T00:00:00.000Z');
    expect(next('0 0 0 29 2 MON', '2072-03-01T00:00:00Z')).toBe('2112-02-29T00:00:00.000Z');
    expect(slot('0 0 0 29 2 MON', '2112-01-01T00:00:00Z')).toBe('2072-02-29T00:00:00Z');
    // Feb 29 itself skips 2100: eight years from 2096 to 2104.
    expect(next('0 0 0 29 2 *', '2096-03-01T00:00:00Z')).toBe('2104-02-29T00:00:00.000Z');
  });

  it('agrees with a day-by-day walk for every Feb 29 weekday over a whole 400-year cycle', () => {
    // Independent check: walk the days with Date and collect each weekday's leap days.
    for (let weekday = 0; weekday < 7; weekday++) {
      const expected: string[] = [];
      for (let year = 2000; year < 2400; year++) {
        const day = new Date(Date.UTC(year, 1, 29));
        if (day.getUTCMonth() === 1 && day.getUTCDay() === weekday) expected.push(day.toISOString());
      }
      const schedule = parseNcrontab(`0 0 0 29 2 ${weekday}`);
      const found: string[] = [];
      for (let t = new Date('1999-12-31T00:00:00Z'); ; ) {
        t = nextOccurrence(schedule, t);
        if (t.getUTCFullYear() >= 2400) break;
        found.push(t.toISOString());
      }
      expect(found).toEqual(expected);
    }
  });

  it('rejects an invalid date', () => {
    scheduleError(() => nextOccurrence(parseNcrontab('* * * * * *'), new Date(Number.NaN)));
  });
});

describe('slotOf', () => {
  it('maps a late or repeated firing to the slot it belongs to', () => {
    expect(slot('0 0 5 * * *', '2026-11-22T05:00:03.250Z')).toBe('2026-11-22T05:00:00Z');
    expect(slot('0 0 5 * * *', '2026-11-22T05:47:41Z')).toBe('2026-11-22T05:00:00Z');
    expect(slot('0 0 5 * * *', '2026-11-22T04:59:59.999Z')).toBe('2026-11-21T05:00:00Z');
  });

  it('maps a firing exactly on the slot to that slot', () => {
    expect(slot('0 0 5 * * *', '2026-11-22T05:00:00.000Z')).toBe('2026-11-22T05:00:00Z');
    expect(slot('0 */5 * * * *', '2026-11-22T05:10:00Z')).toBe('2026-11-22T05:10:00Z');
  });

  it('searches back across months and years', () => {
    // February has no 31st, so the previous slot is in January.
    expect(slot('0 0 12 31 * *', '2026-03-01T01:00:00Z')).toBe('2026-01-31T12:00:00Z');
    expect(slot('30 15 10 25 DEC *', '2026-06-01T00:00:00Z')).toBe('2025-12-25T10:15:30Z');
    expect(slot('0 0 0 29 2 *', '2027-06-01T00:00:00Z')).toBe('2024-02-29T00:00:00Z');
  });

  it('throws for a schedule that never occurs', () => {
    scheduleError(() => slot('0 0 0 30 2 *', '2026-01-01T00:00:00Z'));
  });
});

describe('toAwsSchedule', () => {
  it.each([
    ['0 */5 * * * *', 'rate(5 minutes)'],
    ['0 */1 * * * *', 'rate(1 minute)'],
    ['0 * * * * *', 'rate(1 minute)'],
    ['0 0,30 * * * *', 'rate(30 minutes)'],
    ['0 0 */2 * * *', 'rate(2 hours)'],
    ['0 0 */1 * * *', 'rate(1 hour)'],
    ['0 0 * * * *', 'rate(1 hour)'],
  ])('turns the fixed interval %s into %s', (expr, aws) => {
    expect(toAwsSchedule(expr)).toBe(aws);
  });

  it.each([
    // Intervals that do not divide the hour/day are not fixed intervals: */7 has a 4-minute gap at :56.
    ['0 */7 * * * *', 'cron(0/7 * * * ? *)'],
    ['0 0 */5 * * *', 'cron(0 0/5 * * ? *)'],
    ['0 30 2 * * *', 'cron(30 2 * * ? *)'],
    ['0 0 0 * * *', 'cron(0 0 * * ? *)'],
    ['0 15 10 1 jan *', 'cron(15 10 1 JAN ? *)'],
    ['0 0 9 * * MON-FRI', 'cron(0 9 ? * MON-FRI *)'],
    ['0 0 6 * * sun', 'cron(0 6 ? * SUN *)'],
    ['0 0 9 * * 1-5', 'cron(0 9 ? * 2-6 *)'],
    ['0 0 9 * * 0,6', 'cron(0 9 ? * 1,7 *)'],
    ['0 0 9 * * 7', 'cron(0 9 ? * 1 *)'],
    ['0 0 9 * * 5-7', 'cron(0 9 ? * 1,6,7 *)'],
    // AWS allows no `/` in day-of-week, so a stepped day-of-week is listed out.
    ['0 0 9 * * 1-5/2', 'cron(0 9 ? * 2,4,6 *)'],
  ])('translates %s to %s', (expr, aws) => {
    expect(toAwsSchedule(expr)).toBe(aws);
  });

  it('refuses sub-minute schedules', () => {
    expect(scheduleError(() => toAwsSchedule('30 */5 * * * *'))).toMatch(/minute precision/);
    expect(scheduleError(() => toAwsSchedule('*/10 * * * * *'))).toMatch(/minute precision/);
  });

  it('refuses schedules restricting both day-of-month and day-of-week', () => {
    expect(scheduleError(() => toAwsSchedule('0 0 12 13 * FRI'))).toMatch(/day-of-month and day-of-week/);
  });

  it('rejects invalid expressions', () => {
    expect(scheduleError(() => toAwsSchedule('0 0 25 * * *'))).toContain('hour field');
  });
});

import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  fromAwsSchedule,
  nextOccurrence,
  parseNcrontab,
  ScheduleError,
  toAwsSchedule,
} from '../../domain/schedule/ncrontab.ts';
import { scheduleError } from '../support/assertions.ts';
import { DAY_NAMES, fieldArb, MONTH_NAMES } from '../support/ncrontab-arbitraries.ts';

/**
 * The next `count` firings after `from`. nextOccurrence throws for a schedule that never fires (e.g.
 * Feb 30), which ends the list with a marker; both sides must agree on it too.
 */
function occurrences(expr: string, from: Date, count: number): string[] {
  const schedule = parseNcrontab(expr);
  const found: string[] = [];
  let t = from;
  try {
    for (let i = 0; i < count; i++) {
      t = nextOccurrence(schedule, t);
      found.push(t.toISOString());
    }
  } catch (e) {
    if (!(e instanceof ScheduleError)) throw e;
    found.push('no further occurrence within the search window');
  }
  return found;
}

const STARTS = ['2026-01-01T00:00:00Z', '2027-02-27T13:47:12Z', '2028-12-31T23:59:59Z'].map((s) => new Date(s));

const sorted = (values: Iterable<number>) => [...new Set(values)].sort((a, b) => a - b);
const range = (lo: number, hi: number) => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);

/**
 * An independent reading of an AWS field as the EventBridge reference describes it (`,` `-` `*` and
 * `start/increment`), written separately from the module so the tests do not grade it with itself.
 */
function awsField(text: string, min: number, max: number, names: readonly string[] = []): number[] {
  const values: number[] = [];
  const value = (token: string) => (names.includes(token.toUpperCase()) ? min + names.indexOf(token.toUpperCase()) : Number(token));
  for (const part of text.split(',')) {
    const [span = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    const [a = '', b] = span.split('-');
    const lo = span === '*' ? min : value(a);
    const hi = span === '*' ? max : b !== undefined ? value(b) : stepText !== undefined ? max : lo;
    for (let v = lo; v <= hi; v += step) values.push(v);
  }
  return sorted(values);
}

interface Meaning {
  minutes: number[];
  hours: number[];
  daysOfMonth: number[];
  months: number[];
  /** 0-6 from Sunday. */
  daysOfWeek: number[];
}

/** What an AWS expression fires on, with rate(n) read as the clock-aligned n-interval. */
function awsMeaning(aws: string): Meaning {
  const everyDay = { daysOfMonth: range(1, 31), months: range(1, 12), daysOfWeek: range(0, 6) };
  const rate = /^rate\((\d+) (minute|hour)s?\)$/.exec(aws);
  if (rate) {
    const n = Number(rate[1]);
    const multiples = (size: number) => range(0, size - 1).filter((v) => v % n === 0);
    return rate[2] === 'minute'
      ? { minutes: multiples(60), hours: range(0, 23), ...everyDay }
      : { minutes: [0], hours: multiples(24), ...everyDay };
  }
  const cron = /^cron\((\S+) (\S+) (\S+) (\S+) (\S+) \*\)$/.exec(aws);
  if (!cron) throw new Error(`unexpected AWS expression ${aws}`);
  const [, minute = '', hour = '', dom = '', month = '', dow = ''] = cron;
  expect([dom, dow].filter((f) => f === '?')).toHaveLength(1);
  expect(dow).not.toContain('/');
  return {
    minutes: awsField(minute, 0, 59),
    hours: awsField(hour, 0, 23),
    daysOfMonth: dom === '?' ? range(1, 31) : awsField(dom, 1, 31),
    months: awsField(month, 1, 12, MONTH_NAMES),
    daysOfWeek: dow === '?' ? range(0, 6) : awsField(dow, 1, 7, DAY_NAMES).map((d) => d - 1),
  };
}

/** The same for an NCRONTAB expression that restricts at most one day field (so the days AND). */
function ncrontabMeaning(expr: string): Meaning {
  const s = parseNcrontab(expr);
  expect(sorted(s.seconds)).toEqual([0]);
  return {
    minutes: sorted(s.minutes),
    hours: sorted(s.hours),
    daysOfMonth: sorted(s.daysOfMonth),
    months: sorted(s.months),
    daysOfWeek: sorted(s.daysOfWeek),
  };
}

// [what, NCRONTAB, its exact AWS translation, that AWS expression translated back]
const TABLE: ReadonlyArray<readonly [string, string, string, string?]> = [
  ['daily at 02:30', '0 30 2 * * *', 'cron(30 2 * * ? *)'],
  ['daily at midnight', '0 0 0 * * *', 'cron(0 0 * * ? *)'],
  ['three times a day', '0 0 8,12,18 * * *', 'cron(0 8,12,18 * * ? *)'],
  ['hourly', '0 0 * * * *', 'rate(1 hour)'],
  ['every minute', '0 * * * * *', 'rate(1 minute)'],
  ['every 5 minutes', '0 */5 * * * *', 'rate(5 minutes)'],
  ['every 15 minutes', '0 */15 * * * *', 'rate(15 minutes)'],
  ['half-hourly as a list', '0 0,30 * * * *', 'rate(30 minutes)', '0 */30 * * * *'],
  ['every 2 hours', '0 0 */2 * * *', 'rate(2 hours)'],
  ['every 6 hours', '0 0 */6 * * *', 'rate(6 hours)'],
  ['every 7 minutes (not a fixed interval)', '0 */7 * * * *', 'cron(0/7 * * * ? *)'],
  ['every 5 hours (not a fixed interval)', '0 0 */5 * * *', 'cron(0 0/5 * * ? *)'],
  ['weekdays at 09:00, names', '0 0 9 * * MON-FRI', 'cron(0 9 ? * MON-FRI *)'],
  ['weekdays at 09:00, numbers', '0 0 9 * * 1-5', 'cron(0 9 ? * 2-6 *)'],
  ['weekdays at 09:30', '0 30 9 * * MON-FRI', 'cron(30 9 ? * MON-FRI *)'],
  ['Sundays, as 0', '0 0 6 * * 0', 'cron(0 6 ? * 1 *)'],
  ['Sundays, as SUN', '0 0 6 * * SUN', 'cron(0 6 ? * SUN *)'],
  ['Sundays, as 7', '0 0 6 * * 7', 'cron(0 6 ? * 1 *)', '0 0 6 * * 0'],
  ['weekends', '0 0 10 * * 0,6', 'cron(0 10 ? * 1,7 *)'],
  ['weekends as 6-7', '0 0 10 * * 6-7', 'cron(0 10 ? * 1,7 *)', '0 0 10 * * 0,6'],
  ['Friday to Sunday', '0 0 18 * * 5-7', 'cron(0 18 ? * 1,6,7 *)', '0 0 18 * * 0,5,6'],
  ['every other weekday number', '0 0 8 * * */2', 'cron(0 8 ? * 1,3,5,7 *)', '0 0 8 * * 0,2,4,6'],
  ['Mon/Wed/Fri by a step', '0 0 8 * * 1-5/2', 'cron(0 8 ? * 2,4,6 *)', '0 0 8 * * 1,3,5'],
  ['lower-case names', '0 0 7 * jan-mar mon,wed,fri', 'cron(0 7 ? JAN-MAR MON,WED,FRI *)', '0 0 7 * JAN-MAR MON,WED,FRI'],
  ['business hours every 15 minutes', '0 */15 8-17 * * MON-FRI', 'cron(0/15 8-17 ? * MON-FRI *)'],
  ['first of the month', '0 0 0 1 * *', 'cron(0 0 1 * ? *)'],
  ['quarterly, as a list', '0 0 6 1 1,4,7,10 *', 'cron(0 6 1 1,4,7,10 ? *)'],
  ['quarterly, as a step', '0 0 6 1 */3 *', 'cron(0 6 1 1/3 ? *)'],
  ['New Year', '0 15 10 1 JAN *', 'cron(15 10 1 JAN ? *)'],
  ['summer months', '0 0 4 * JUN-AUG *', 'cron(0 4 * JUN-AUG ? *)'],
  ['a range with a step stopping short', '0 10-40/10 * * * *', 'cron(10,20,30,40 * * * ? *)', '0 10,20,30,40 * * * *'],
  ['a range with a step to the end', '0 5-59/15 * * * *', 'cron(5/15 * * * ? *)', '0 5/15 * * * *'],
  ['odd days of the month', '0 0 12 1/2 * *', 'cron(0 12 1/2 * ? *)', '0 0 12 */2 * *'],
  ['mid and end of month', '0 0 23 15,28-31 * *', 'cron(0 23 15,28-31 * ? *)'],
  ['leap day', '0 0 0 29 2 *', 'cron(0 0 29 2 ? *)'],
];

describe('the translation table', () => {
  it('has at least 20 real expressions', () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(20);
  });

  it.each(TABLE)('%s: %s → %s → back', (_what, ncrontab, aws, back = ncrontab) => {
    expect(toAwsSchedule(ncrontab)).toBe(aws);
    expect(fromAwsSchedule(aws)).toBe(back);
  });

  it.each(TABLE)('%s: the AWS expression means what the NCRONTAB one does', (_what, ncrontab, aws) => {
    expect(awsMeaning(aws)).toEqual(ncrontabMeaning(ncrontab));
  });

  it.each(TABLE)('%s: NCRONTAB → AWS → NCRONTAB keeps the next 50 firings', (_what, ncrontab) => {
    const roundTripped = fromAwsSchedule(toAwsSchedule(ncrontab));
    for (const start of STARTS) expect(occurrences(roundTripped, start, 50)).toEqual(occurrences(ncrontab, start, 50));
  });
});

describe('fromAwsSchedule', () => {
  it.each([
    ['cron(*/10 * * * ? *)', '0 */10 * * * *'],
    ['cron(0/10 * * * ? *)', '0 */10 * * * *'],
    ['cron(0 9 * * ? *)', '0 0 9 * * *'],
    ['cron(0 9 ? * * *)', '0 0 9 * * *'],
    ['cron(0 9 ? * wed *)', '0 0 9 * * WED'],
    ['cron(0 9 ? * 1-7 *)', '0 0 9 * * 0-6'],
    ['cron(0 9 ? * 7 *)', '0 0 9 * * 6'],
    ['cron(0 9 ? * SUN,SAT *)', '0 0 9 * * SUN,SAT'],
    ['cron(0 9 ? * 2-FRI *)', '0 0 9 * * 1-5'],
    ['cron(0 9 ? * 2,2 *)', '0 0 9 * * 1'],
    ['cron(0 9 1-7 * ? *)', '0 0 9 1-7 * *'],
    ['cron(0 9 1/7 * ? *)', '0 0 9 */7 * *'],
    ['  cron( 30  9 ? * MON-FRI * )  ', '0 30 9 * * MON-FRI'],
    ['rate(1 minute)', '0 * * * * *'],
    ['rate(20 minutes)', '0 */20 * * * *'],
    ['rate(60 minutes)', '0 0 * * * *'],
    ['rate(120 minutes)', '0 0 */2 * * *'],
    ['rate(1 hour)', '0 0 * * * *'],
    ['rate(12 hours)', '0 0 */12 * * *'],
    ['rate(24 hours)', '0 0 0 * * *'],
    ['rate(1 day)', '0 0 0 * * *'],
  ])('translates %s to %s', (aws, ncrontab) => {
    expect(fromAwsSchedule(aws)).toBe(ncrontab);
  });

  it('maps rate() to the wall-clock-aligned schedule with the same interval', () => {
    expect(occurrences(fromAwsSchedule('rate(20 minutes)'), new Date('2026-05-05T10:07:00Z'), 3)).toEqual([
      '2026-05-05T10:20:00.000Z',
      '2026-05-05T10:40:00.000Z',
      '2026-05-05T11:00:00.000Z',
    ]);
  });

  it.each([
    ['cron(0 10 L * ? *)', /no equivalent of L \(last day of the month\) in day-of-month "L"/],
    ['cron(0 10 15W * ? *)', /no equivalent of W \(nearest weekday\) in day-of-month "15W"/],
    ['cron(0 10 LW * ? *)', /L \(last day of the month\).*W \(nearest weekday\)/],
    ['cron(0 10 ? * 6L *)', /no equivalent of L \(last given weekday of the month\) in day-of-week "6L"/],
    ['cron(0 10 ? * FRIL *)', /L \(last given weekday of the month\)/],
    ['cron(0 10 ? * L *)', /no equivalent of L \(last day of the week\)/],
    ['cron(0 10 ? * 3#2 *)', /no equivalent of # \(nth weekday of the month\) in day-of-week "3#2"/],
    ['cron(0 10 ? * WED#1 *)', /# \(nth weekday of the month\)/],
    ['cron(0 10 * * ? 2027)', /year field is "2027", but NCRONTAB has no year field/],
    ['cron(0 10 * * ? 2026-2030)', /year field/],
    ['cron(0 10 * * MON *)', /exactly one of day-of-month \("\*"\) and day-of-week \("MON"\) must be "\?"/],
    ['cron(0 10 1 * 2 *)', /exactly one of day-of-month/],
    ['cron(0 10 ? * ? *)', /exactly one of day-of-month/],
    ['cron(0 10 ? * 2/2 *)', /no increments \("\/"\) in day-of-week/],
    ['cron(0 9 ? * 0 *)', /day-of-week field "0": 0 is outside 1-7/],
    ['cron(0 9 ? * FRI-MON *)', /range "FRI-MON" runs backwards/],
    ['cron(0 25 * * ? *)', /hour field "25"/],
    ['cron(? 9 * * ? *)', /minute field "\?"/],
    ['cron(0 9 * *)', /expected 6 fields/],
    ['0 9 * * ? *', /expected "rate\(\.\.\.\)" or "cron\(\.\.\.\)"/],
    ['rate(7 minutes)', /interval must divide 60 minutes \("\*\/7" in the minute field would leave a 4-minute gap/],
    ['rate(90 minutes)', /whole number of hours dividing 24/],
    ['rate(7 hours)', /must be a whole number of hours dividing 24 \("\*\/7" in the hour field fires at 21:00 and again 3 hours later/],
    ['rate(5 hours)', /dividing 24/],
    ['rate(2 days)', /no fixed interval longer than a day: a day-of-month step .* restarts on the 1st/],
    ['rate(7 days)', /only rate\(1 day\) translates/],
    ['rate(48 hours)', /no fixed interval longer than a day/],
    ['rate(0 minutes)', /positive integer/],
    ['rate(5 minute)', /AWS requires the unit "minutes" for the value 5/],
    ['rate(1 hours)', /AWS requires the unit "hour" for the value 1/],
    ['rate(2 weeks)', /expected rate\(<value> minute\|minutes\|hour\|hours\|day\|days\)/],
  ])('rejects %s', (aws, message) => {
    const error = scheduleError(() => fromAwsSchedule(aws));
    expect(error).toContain(`"${aws}"`);
    expect(error).toMatch(message);
  });
});

describe('toAwsSchedule rejects what AWS cannot express exactly', () => {
  it.each([
    ['30 0 9 * * *', /minute precision, so the second field must be 0 \(got "30"\)/],
    ['*/15 * * * * *', /minute precision/],
    ['0,30 0 9 * * *', /minute precision/],
    ['0 0 12 13 * FRI', /restricts both day-of-month and day-of-week \("13" and "FRI"\), but AWS needs one of them to be "\?"/],
    ['0 0 12 1-7 * MON', /restricts both/],
    // Even when one side covers every day, crontab dialects disagree on AND vs OR here: refuse.
    ['0 0 12 */1 * MON', /restricts both/],
  ])('rejects %s', (expr, message) => {
    const error = scheduleError(() => toAwsSchedule(expr));
    expect(error).toContain(`Cannot translate "${expr}" to AWS`);
    expect(error).toMatch(message);
  });
});

const minuteArb = fieldArb(0, 59);
const hourArb = fieldArb(0, 23);
const domArb = fieldArb(1, 31);
const monthArb = fieldArb(1, 12, MONTH_NAMES);
const dowArb = fieldArb(0, 6, DAY_NAMES, 7);
const daysArb = fc.oneof(
  fc.tuple(domArb, fc.constant('*')),
  fc.tuple(fc.constant('*'), dowArb),
  { weight: 1, arbitrary: fc.tuple(domArb, dowArb) },
);
const ncrontabArb = fc
  .tuple(minuteArb, hourArb, daysArb, monthArb)
  .map(([minute, hour, [dom, dow], month]) => `0 ${minute} ${hour} ${dom} ${month} ${dow}`);
const startArb = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true });

describe('properties', () => {
  it('NCRONTAB → AWS is exact or a ScheduleError, and AWS → NCRONTAB gives the same 30 next firings', () => {
    fc.assert(
      fc.property(ncrontabArb, startArb, (expr, start) => {
        const [, , , dom, , dow] = expr.split(' ');
        let aws: string;
        try {
          aws = toAwsSchedule(expr);
        } catch (e) {
          expect(e).toBeInstanceOf(ScheduleError);
          // With the second at 0, restricting both day fields is the only thing AWS cannot say.
          expect(dom !== '*' && dow !== '*').toBe(true);
          return;
        }
        expect(awsMeaning(aws)).toEqual(ncrontabMeaning(expr));
        expect(occurrences(fromAwsSchedule(aws), start, 30)).toEqual(occurrences(expr, start, 30));
      }),
      { numRuns: 400 },
    );
  });

  // AWS cron fields as EventBridge writes them: no `/` in day-of-week, one day field `?`.
  const awsDowArb = fc.oneof(
    fc.constant('*'),
    fc
      .array(
        fc.oneof(
          fc.integer({ min: 1, max: 7 }).map(String),
          fc.constantFrom(...DAY_NAMES),
          fc.tuple(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 })).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
          fc.constantFrom('MON-FRI', 'SUN-SAT', 'TUE-THU'),
        ),
        { minLength: 1, maxLength: 3 },
      )
      .map((terms) => terms.join(',')),
  );
  const awsArb = fc
    .tuple(minuteArb, hourArb, fc.oneof(fc.tuple(domArb, fc.constant('?')), fc.tuple(fc.constant('?'), awsDowArb)), monthArb)
    .map(([minute, hour, [dom, dow], month]) => `cron(${minute.replaceAll('*/', '0/')} ${hour} ${dom} ${month} ${dow} *)`);

  it('AWS cron → NCRONTAB is exact, and survives the trip back to AWS', () => {
    fc.assert(
      fc.property(awsArb, startArb, (aws, start) => {
        const ncrontab = fromAwsSchedule(aws);
        expect(ncrontabMeaning(ncrontab)).toEqual(awsMeaning(aws));
        const again = fromAwsSchedule(toAwsSchedule(ncrontab));
        expect(occurrences(again, start, 30)).toEqual(occurrences(ncrontab, start, 30));
      }),
      { numRuns: 300 },
    );
  });
});

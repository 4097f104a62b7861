/**
 * Azure Functions timer schedules (NCRONTAB, six fields: `second minute hour day-of-month month
 * day-of-week`), evaluated in UTC, plus their translation to AWS EventBridge schedule expressions
 * and to Cloud Scheduler's unix-cron. Pure and dependency-free so every adapter can share it.
 */

export class ScheduleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScheduleError';
  }
}

export interface CronSchedule {
  readonly expression: string;
  readonly seconds: ReadonlySet<number>;
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly daysOfMonth: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  /** 0-6, Sunday = 0 (an input 7 is folded to 0). */
  readonly daysOfWeek: ReadonlySet<number>;
  /** Whether the field was anything but `*`; decides between OR and AND day matching. */
  readonly dayOfMonthRestricted: boolean;
  readonly dayOfWeekRestricted: boolean;
}

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Largest value accepted when written explicitly (day-of-week takes 7 for Sunday). */
  readonly explicitMax?: number;
  /** Names for min, min+1, ... */
  readonly names?: readonly string[];
}

const SECOND: FieldSpec = { name: 'second', min: 0, max: 59 };
const MINUTE: FieldSpec = { name: 'minute', min: 0, max: 59 };
const HOUR: FieldSpec = { name: 'hour', min: 0, max: 23 };
const DAY_OF_MONTH: FieldSpec = { name: 'day-of-month', min: 1, max: 31 };
const MONTH: FieldSpec = {
  name: 'month', min: 1, max: 12,
  names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
};
const DAY_OF_WEEK: FieldSpec = {
  name: 'day-of-week', min: 0, max: 6, explicitMax: 7,
  names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'],
};
const FIELDS = [SECOND, MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK] as const;

const SECOND_MS = 1000;
/**
 * The Gregorian calendar repeats exactly every 400 years (146,097 days, a whole number of weeks),
 * and UTC has no DST: if a schedule fires at all, it fires within any 400-year window. Searching
 * that far is exact, not a heuristic (Feb 29 on a Monday can be 40 years apart across 2100).
 */
const CYCLE_MS = 146_097 * 24 * 3600 * SECOND_MS;
/** Days in each month, with February at its leap-year length. */
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function splitFields(expr: string): string[] {
  const fields = expr.trim().split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 6) {
    throw new ScheduleError(
      `Invalid NCRONTAB expression "${expr}": expected 6 fields ` +
        `(second minute hour day-of-month month day-of-week), got ${fields.length}`,
    );
  }
  return fields;
}

/** One comma-separated term of a field: `*`, `a`, `a-b`, each optionally with `/step`. */
interface Term {
  readonly lo: number;
  readonly hi: number;
  readonly step: number;
  /** Written as `*` (possibly with a step). */
  readonly star: boolean;
  /** Written with `/step`. */
  readonly stepped: boolean;
  /** Every bound was written as a name (`MON-FRI`, `JAN`), not a number. */
  readonly named: boolean;
}

/** Splits and validates a field; `context` opens every error message (it names the whole expression). */
function parseTerms(context: string, spec: FieldSpec, text: string): Term[] {
  const fail = (why: string): never => {
    throw new ScheduleError(`${context}: ${spec.name} field "${text}": ${why}`);
  };
  const isName = (token: string) => (spec.names?.indexOf(token.toUpperCase()) ?? -1) >= 0;
  const value = (token: string): number => {
    const index = spec.names?.indexOf(token.toUpperCase()) ?? -1;
    const n = /^\d+$/.test(token) ? Number(token) : index >= 0 ? spec.min + index : NaN;
    if (Number.isNaN(n)) return fail(`"${token}" is not a number${spec.names ? ' or name' : ''}`);
    if (n < spec.min || n > (spec.explicitMax ?? spec.max)) return fail(`${n} is outside ${spec.min}-${spec.max}`);
    return n;
  };

  return text.split(',').map((token): Term => {
    const [range = '', step, ...extra] = token.split('/');
    if (range === '' || extra.length > 0) fail(`"${token}" is malformed`);
    if (step !== undefined && (!/^\d+$/.test(step) || Number(step) === 0)) {
      fail(`step "${step}" must be a positive integer`);
    }
    const stride = step === undefined ? 1 : Number(step);
    if (range === '*') {
      return { lo: spec.min, hi: spec.max, step: stride, star: true, stepped: step !== undefined, named: false };
    }
    const bounds = range.split('-');
    if (bounds.length > 2) fail(`"${range}" is not a range`);
    const lo = value(bounds[0] ?? '');
    // `a/n` runs to the end of the field; a bare `a` is just itself.
    const hi = bounds.length === 2 ? value(bounds[1] ?? '') : step !== undefined ? spec.max : lo;
    if (lo > hi) fail(`range "${range}" runs backwards`);
    return { lo, hi, step: stride, star: false, stepped: step !== undefined, named: bounds.every(isName) };
  });
}

/** The values a term selects, ascending; only day-of-week goes past max (7 = Sunday), which wraps to min (0). */
function expandTerm(spec: FieldSpec, term: Term): number[] {
  const values: number[] = [];
  for (let v = term.lo; v <= term.hi; v += term.step) values.push(v > spec.max ? spec.min : v);
  return values;
}

function parseField(expr: string, spec: FieldSpec, text: string): Set<number> {
  return new Set(
    parseTerms(`Invalid NCRONTAB expression "${expr}"`, spec, text).flatMap((term) => expandTerm(spec, term)),
  );
}

export function parseNcrontab(expr: string): CronSchedule {
  const fields = splitFields(expr);
  const [seconds, minutes, hours, daysOfMonth, months, daysOfWeek] = FIELDS.map((spec, i) =>
    parseField(expr, spec, fields[i] ?? ''),
  ) as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  return Object.freeze({
    expression: expr,
    seconds, minutes, hours, daysOfMonth, months, daysOfWeek,
    dayOfMonthRestricted: fields[3] !== '*',
    dayOfWeekRestricted: fields[5] !== '*',
  });
}

/**
 * Azure's NCRONTAB (the NCrontab library) ANDs the two day fields: `0 0 12 13 * FRI` fires on
 * Friday the 13th only. Classic Vixie cron ORs them when both are restricted; Portico follows Azure.
 */
function dayMatches(s: CronSchedule, date: Date): boolean {
  return s.daysOfMonth.has(date.getUTCDate()) && s.daysOfWeek.has(date.getUTCDay());
}

/**
 * Whether any allowed month has any allowed day. Every real date falls on every weekday within
 * the 400-year cycle, so this is the whole question of whether the schedule ever fires; asking it
 * first answers `0 0 0 30 2 *` at once instead of after a 400-year search.
 */
function everOccurs(s: CronSchedule): boolean {
  for (const month of s.months) for (const day of s.daysOfMonth) if (day <= MONTH_DAYS[month - 1]!) return true;
  return false;
}

/** First matching second from `start` (inclusive) in direction `dir`, skipping whole non-matching units. */
function seek(s: CronSchedule, start: number, dir: 1 | -1): number {
  if (!everOccurs(s)) {
    throw new ScheduleError(`NCRONTAB expression "${s.expression}" has no occurrence: none of its months has any of its days of the month`);
  }
  const limit = start + dir * CYCLE_MS;
  // Past a non-matching unit: its end going forward, the second before its start going back.
  const skip = (unitStart: number, unitEnd: number) => (dir > 0 ? unitEnd : unitStart - SECOND_MS);
  for (let t = start; dir > 0 ? t <= limit : t >= limit; ) {
    const d = new Date(t);
    const [y, mo, day, h, mi] = [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes()];
    if (!s.months.has(mo + 1)) t = skip(Date.UTC(y, mo, 1), Date.UTC(y, mo + 1, 1));
    else if (!dayMatches(s, d)) t = skip(Date.UTC(y, mo, day), Date.UTC(y, mo, day + 1));
    else if (!s.hours.has(h)) t = skip(Date.UTC(y, mo, day, h), Date.UTC(y, mo, day, h + 1));
    else if (!s.minutes.has(mi)) t = skip(Date.UTC(y, mo, day, h, mi), Date.UTC(y, mo, day, h, mi + 1));
    else if (!s.seconds.has(d.getUTCSeconds())) t += dir * SECOND_MS;
    else return t;
  }
  throw new ScheduleError(
    // Unreachable for a schedule that passed everOccurs; kept so a bug cannot loop forever.
    `NCRONTAB expression "${s.expression}" has no occurrence within 400 years ${dir > 0 ? 'after' : 'before'} ` +
      new Date(start).toISOString(),
  );
}

function wholeSecond(date: Date): number {
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new ScheduleError('Invalid date');
  return Math.floor(ms / SECOND_MS) * SECOND_MS;
}

/** The first matching instant strictly after `after`, at whole-second precision. */
export function nextOccurrence(schedule: CronSchedule, after: Date): Date {
  return new Date(seek(schedule, wholeSecond(after) + SECOND_MS, 1));
}

/**
 * The slot a firing belongs to: the latest occurrence at or before `firedAt`, as an ISO timestamp
 * without milliseconds. Late or repeated firings of one slot all map to the same key.
 */
export function slotOf(schedule: CronSchedule, firedAt: Date): string {
  return new Date(seek(schedule, wholeSecond(firedAt), -1)).toISOString().slice(0, 19) + 'Z';
}

/** `{0, n, 2n, ...}` covering the whole field with n dividing its size, i.e. a clock-aligned fixed interval. */
function intervalOf(values: ReadonlySet<number>, size: number): number | undefined {
  if (values.size < 2 || size % values.size !== 0) return undefined;
  const n = size / values.size;
  for (let v = 0; v < size; v += n) if (!values.has(v)) return undefined;
  return n;
}

/*
 * Translation between NCRONTAB and AWS EventBridge schedule expressions.
 *
 * The rule in both directions: translate exactly or throw a ScheduleError saying why; never pick a
 * "close enough" schedule. The two dialects differ in:
 *  - seconds: NCRONTAB has them, AWS (minute precision) does not, so only a second field of 0 maps;
 *  - year: AWS has a sixth year field, NCRONTAB does not, so only `*` maps;
 *  - days: AWS needs exactly one of day-of-month / day-of-week to be `?`, so an NCRONTAB expression
 *    restricting both is refused (crontab dialects disagree on whether that means AND or OR, and
 *    AWS can express neither);
 *  - day-of-week numbering: NCRONTAB 0-6 (7 also Sunday), AWS 1-7, both from Sunday; the names
 *    SUN-SAT mean the same day on both sides. AWS allows no `/` in day-of-week, so steps there (and
 *    ranges reaching NCRONTAB's 7) are written out as explicit day lists;
 *  - AWS-only constructs L, W and # have no NCRONTAB equivalent and are refused;
 *  - AWS documents `/` only as `start/increment`, so a stepped `*` is written from the field's minimum (`0/15`)
 *    and a range with a step that stops short of the field's end is written out as a list.
 *
 * `rate()` is a fixed interval counted from when the rule was created, while NCRONTAB is aligned to
 * the wall clock. A wall-clock schedule that fires every n minutes (n dividing 60) or n hours
 * (n dividing 24) is emitted as rate(n ...), and fromAwsSchedule maps rate() back to that
 * clock-aligned form: the frequency is kept exactly, the phase becomes :00.
 */

const AWS_DAY_OF_WEEK: FieldSpec = { name: 'day-of-week', min: 1, max: 7, names: DAY_OF_WEEK.names ?? [] };

/** Writes a term in the syntax both dialects share; `starStep` keeps NCRONTAB's stepped `*` instead of AWS's `min/n`. */
function formatTerm(spec: FieldSpec, term: Term, starStep: boolean): string {
  const name = (v: number) => (term.named ? spec.names?.[v - spec.min] : undefined) ?? String(v);
  if (!term.stepped || term.step === 1) {
    if (term.star) return '*';
    return term.lo === term.hi ? name(term.lo) : `${name(term.lo)}-${name(term.hi)}`;
  }
  const values = expandTerm(spec, term);
  const last = values[values.length - 1] ?? term.lo;
  if (values.length === 1) return String(last);
  // A step running to the end of the field is `start/step` in both dialects; one stopping short is spelled out.
  if (last + term.step > spec.max) return starStep && term.lo === spec.min ? `*/${term.step}` : `${term.lo}/${term.step}`;
  return values.join(',');
}

function formatField(context: string, spec: FieldSpec, text: string, starStep: boolean): string {
  const parts = parseTerms(context, spec, text).map((term) => formatTerm(spec, term, starStep));
  return [...new Set(parts)].join(',');
}

/** Ascending numbers as a list, runs of three or more as ranges: 1,2,3,5 → 1-3,5. */
function compactList(values: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < values.length; ) {
    let j = i;
    while (j + 1 < values.length && values[j + 1] === (values[j] ?? 0) + 1) j++;
    const [lo, hi] = [values[i] ?? 0, values[j] ?? 0];
    parts.push(j - i >= 2 ? `${lo}-${hi}` : values.slice(i, j + 1).join(','));
    i = j + 1;
  }
  return parts.join(',');
}

/** NCRONTAB day-of-week (0-6, Sunday 0 or 7) → AWS (1-7, Sunday 1, no steps). */
function awsDayOfWeek(context: string, text: string): string {
  const terms = parseTerms(context, DAY_OF_WEEK, text);
  const shift = (term: Term, v: number) => (term.named ? DAY_OF_WEEK.names?.[v] : undefined) ?? String(v + 1);
  if (terms.every((t) => !t.star && !t.stepped && t.hi <= DAY_OF_WEEK.max)) {
    const parts = terms.map((t) => (t.lo === t.hi ? shift(t, t.lo) : `${shift(t, t.lo)}-${shift(t, t.hi)}`));
    return [...new Set(parts)].join(',');
  }
  // Steps (AWS has no `/` here) and ranges reaching 7 (AWS's 7 is Saturday): list the days.
  const days = new Set(terms.flatMap((t) => expandTerm(DAY_OF_WEEK, t)));
  return compactList([...days].sort((a, b) => a - b).map((d) => d + 1));
}

/**
 * Translates an NCRONTAB expression to an AWS EventBridge `rate(...)` or `cron(...)` expression with
 * the same firings, or throws a ScheduleError when AWS cannot express it exactly.
 */
export function toAwsSchedule(expr: string): string {
  const s = parseNcrontab(expr);
  const [second, minute = '', hour = '', dom = '', month = '', dow = ''] = splitFields(expr);
  const context = `Cannot translate "${expr}" to AWS`;
  if (s.seconds.size !== 1 || !s.seconds.has(0)) {
    throw new ScheduleError(
      `${context}: AWS schedules have minute precision, so the second field must be 0 (got "${second}")`,
    );
  }
  const everyDay = s.daysOfMonth.size === 31 && s.months.size === 12 && s.daysOfWeek.size === 7;
  if (everyDay && s.hours.size === 24) {
    const n = intervalOf(s.minutes, 60);
    if (n !== undefined) return `rate(${n} minute${n === 1 ? '' : 's'})`;
  }
  if (everyDay && s.minutes.size === 1 && s.minutes.has(0)) {
    const n = intervalOf(s.hours, 24);
    if (n !== undefined) return `rate(${n} hour${n === 1 ? '' : 's'})`;
  }
  if (s.dayOfMonthRestricted && s.dayOfWeekRestricted) {
    throw new ScheduleError(
      `${context}: it restricts both day-of-month and day-of-week ("${dom}" and "${dow}"), ` +
        'but AWS needs one of them to be "?"',
    );
  }
  const fields = [
    formatField(context, MINUTE, minute, false),
    formatField(context, HOUR, hour, false),
    s.dayOfWeekRestricted ? '?' : formatField(context, DAY_OF_MONTH, dom, false),
    formatField(context, MONTH, month, false),
    s.dayOfWeekRestricted ? awsDayOfWeek(context, dow) : '?',
    '*',
  ];
  return `cron(${fields.join(' ')})`;
}

const RATE_UNIT_MINUTES = { minute: 1, hour: 60, day: 24 * 60 } as const;

/** AWS `rate(n unit)` → the wall-clock-aligned NCRONTAB schedule with the same interval. */
function fromAwsRate(context: string, body: string): string {
  const match = /^(\d+)\s+(minute|hour|day)(s?)$/i.exec(body.trim());
  if (!match) throw new ScheduleError(`${context}: expected rate(<value> minute|minutes|hour|hours|day|days)`);
  const [, digits = '', unitText = '', plural = ''] = match;
  const n = Number(digits);
  const unit = unitText.toLowerCase() as keyof typeof RATE_UNIT_MINUTES;
  if (n === 0) throw new ScheduleError(`${context}: the rate value must be a positive integer`);
  if ((n === 1) !== (plural === '')) {
    throw new ScheduleError(`${context}: AWS requires the unit "${n === 1 ? unit : `${unit}s`}" for the value ${n}`);
  }

  const minutes = n * RATE_UNIT_MINUTES[unit];
  if (minutes < 60 && 60 % minutes === 0) return minutes === 1 ? '0 * * * * *' : `0 */${minutes} * * * *`;
  const hours = minutes / 60;
  if (Number.isInteger(hours) && hours < 24 && 24 % hours === 0) return hours === 1 ? '0 0 * * * *' : `0 0 */${hours} * * *`;
  if (minutes === RATE_UNIT_MINUTES.day) return '0 0 0 * * *';

  let why: string;
  if (minutes > RATE_UNIT_MINUTES.day) {
    why =
      'NCRONTAB has no fixed interval longer than a day: a day-of-month step such as "*/2" restarts on the 1st ' +
      'of every month (the 31st and the next 1st are one day apart), so only rate(1 day) translates';
  } else if (minutes >= 60) {
    why = 'a wall-clock schedule repeats every day, so an interval of an hour or more must be a whole number of hours dividing 24';
    if (Number.isInteger(hours)) {
      why += ` ("*/${hours}" in the hour field fires at ${Math.floor(23 / hours) * hours}:00 and again ${24 - Math.floor(23 / hours) * hours} hours later at midnight)`;
    }
  } else {
    why =
      `a wall-clock schedule repeats every hour, so the interval must divide 60 minutes ` +
      `("*/${minutes}" in the minute field would leave a ${60 % minutes}-minute gap at the top of each hour)`;
  }
  throw new ScheduleError(`${context}: ${why}`);
}

/** The AWS-only constructs a day field uses, by name; NCRONTAB has none of them. */
function awsOnlyConstructs(dom: string, dow: string): string[] {
  const found: string[] = [];
  if (/L/i.test(dom)) found.push(`L (last day of the month) in day-of-month "${dom}"`);
  if (/W/i.test(dom)) found.push(`W (nearest weekday) in day-of-month "${dom}"`);
  // Day names (SUN-SAT) contain no L: `L` alone is the last day of the week, `nL` the last such day of the month.
  const dowTokens = dow.split(',');
  if (dowTokens.includes('L') || dowTokens.includes('l')) found.push(`L (last day of the week) in day-of-week "${dow}"`);
  if (dowTokens.some((token) => /^(\d|[a-z]{3})L$/i.test(token))) {
    found.push(`L (last given weekday of the month) in day-of-week "${dow}"`);
  }
  if (dow.includes('#')) found.push(`# (nth weekday of the month) in day-of-week "${dow}"`);
  return found;
}

/**
 * Translates an AWS EventBridge schedule expression, `rate(n minute(s)|hour(s)|day(s))` or
 * `cron(minute hour day-of-month month day-of-week year)`, to an NCRONTAB expression with the same
 * firings, or throws a ScheduleError naming what NCRONTAB cannot express. A `rate()` maps to the
 * wall-clock-aligned schedule with the same interval (AWS counts the interval from the rule's
 * creation, NCRONTAB from midnight UTC), and is refused when no aligned schedule keeps the interval
 * fixed: minutes must divide 60, hours 24, and days must be 1.
 */
export function fromAwsSchedule(expression: string): string {
  const context = `Cannot translate AWS schedule "${expression}" to NCRONTAB`;
  const text = expression.trim();
  const rate = /^rate\((.*)\)$/i.exec(text);
  if (rate) return fromAwsRate(context, rate[1] ?? '');
  const cron = /^cron\((.*)\)$/i.exec(text);
  if (!cron) throw new ScheduleError(`${context}: expected "rate(...)" or "cron(...)"`);

  const fields = (cron[1] ?? '').trim().split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 6) {
    throw new ScheduleError(
      `${context}: expected 6 fields (minute hour day-of-month month day-of-week year), got ${fields.length}`,
    );
  }
  const [minute = '', hour = '', dom = '', month = '', dow = '', year = ''] = fields;
  const unsupported = awsOnlyConstructs(dom, dow);
  if (unsupported.length > 0) {
    throw new ScheduleError(`${context}: NCRONTAB has no equivalent of ${unsupported.join(', nor of ')}`);
  }
  if (year !== '*') {
    throw new ScheduleError(`${context}: the year field is "${year}", but NCRONTAB has no year field; only "*" translates`);
  }
  if ((dom === '?') === (dow === '?')) {
    throw new ScheduleError(
      `${context}: exactly one of day-of-month ("${dom}") and day-of-week ("${dow}") must be "?"`,
    );
  }
  if (dow.includes('/')) {
    throw new ScheduleError(`${context}: AWS allows no increments ("/") in day-of-week "${dow}"`);
  }

  const dayOfWeek =
    dow === '?'
      ? '*'
      : [
          ...new Set(
            parseTerms(context, AWS_DAY_OF_WEEK, dow).map((t) => {
              const shift = (v: number) => (t.named ? DAY_OF_WEEK.names?.[v - 1] : undefined) ?? String(v - 1);
              return t.star ? '*' : t.lo === t.hi ? shift(t.lo) : `${shift(t.lo)}-${shift(t.hi)}`;
            }),
          ),
        ].join(',');
  const result = [
    '0',
    formatField(context, MINUTE, minute, true),
    formatField(context, HOUR, hour, true),
    dom === '?' ? '*' : formatField(context, DAY_OF_MONTH, dom, true),
    formatField(context, MONTH, month, true),
    dayOfWeek,
  ].join(' ');
  parseNcrontab(result); // by construction valid; fails loudly rather than hand back a broken expression
  return result;
}

/*
 * Translation to Cloud Scheduler (Google Cloud), which takes five-field unix-cron:
 * `minute hour day-of-month month day-of-week`, day-of-week 0-7 with 0 and 7 both Sunday.
 *
 * Exact or a ScheduleError, as for AWS. Each field is written from the set of values NCRONTAB
 * selects, so steps, ranges, lists and names need no dialect-specific spelling: `*` for the whole
 * field, `*` with a `/n` step for a step from the field's start to its end, otherwise numbers and ranges. The
 * differences that cannot be written:
 *  - seconds: Cloud Scheduler fires at most once a minute, on the minute, so the seconds must be 0;
 *  - days: NCRONTAB ANDs day-of-month and day-of-week (Friday the 13th), unix-cron ORs them when
 *    both are restricted, so one of the two must select every day;
 *  - a schedule that never fires (30 February) is refused rather than handed to Cloud Scheduler.
 */

/** `{lo, lo+n, ..., <= hi}` for some n > 1 starting at the field's minimum, else undefined. */
function stepFromStart(values: readonly number[], lo: number, hi: number): number | undefined {
  const n = (values[1] ?? lo) - lo;
  if (values[0] !== lo || n < 2) return undefined;
  const expected = Array.from({ length: Math.floor((hi - lo) / n) + 1 }, (_, i) => lo + i * n);
  return expected.length === values.length && expected.every((v, i) => values[i] === v) ? n : undefined;
}

function cronField(spec: FieldSpec, selected: ReadonlySet<number>, stepped: boolean): string {
  const values = [...selected].sort((a, b) => a - b);
  if (values.length === spec.max - spec.min + 1) return '*';
  const n = stepped ? stepFromStart(values, spec.min, spec.max) : undefined;
  return n === undefined ? compactList(values) : `*/${n}`;
}

/** What the seconds of a schedule say about it, for the refusal: "every 30 seconds", "at second 30". */
function describeSeconds(seconds: ReadonlySet<number>): string {
  const n = intervalOf(seconds, 60);
  if (n !== undefined) return `fires every ${n} second${n === 1 ? '' : 's'}`;
  const values = [...seconds].sort((a, b) => a - b);
  return values.length === 1 ? `fires at second ${values[0]} of the minute` : `fires ${values.length} times a minute (at seconds ${compactList(values)})`;
}

/**
 * Translates an NCRONTAB expression to the five-field unix-cron Cloud Scheduler takes (evaluated in
 * the job's time zone, which must be UTC for the same firings), or throws a ScheduleError saying why
 * Cloud Scheduler cannot fire on exactly the same minutes.
 */
export function toCloudSchedulerCron(expr: string): string {
  const s = parseNcrontab(expr);
  const context = `Cannot translate "${expr}" to Cloud Scheduler`;
  if (s.seconds.size !== 1 || !s.seconds.has(0)) {
    throw new ScheduleError(`${context}: Cloud Scheduler fires at most once a minute, on the minute; "${expr}" ${describeSeconds(s.seconds)}`);
  }
  const everyDayOfMonth = s.daysOfMonth.size === DAY_OF_MONTH.max - DAY_OF_MONTH.min + 1;
  const everyDayOfWeek = s.daysOfWeek.size === DAY_OF_WEEK.max - DAY_OF_WEEK.min + 1;
  if (!everyDayOfMonth && !everyDayOfWeek) {
    const [, , , dom = '', , dow = ''] = splitFields(expr);
    throw new ScheduleError(
      `${context}: it restricts both day-of-month ("${dom}") and day-of-week ("${dow}"), which NCRONTAB requires together ` +
        'but unix-cron accepts either of, so no unix-cron expression fires on the same days',
    );
  }
  if (!everOccurs(s)) throw new ScheduleError(`${context}: it never fires (none of its months has any of its days of the month)`);
  return [
    cronField(MINUTE, s.minutes, true),
    cronField(HOUR, s.hours, true),
    cronField(DAY_OF_MONTH, s.daysOfMonth, true),
    cronField(MONTH, s.months, true),
    // Numbers only (0 = Sunday) and no steps: unix-cron's day-of-week runs 0-7, so a step there reads differently.
    cronField(DAY_OF_WEEK, s.daysOfWeek, false),
  ].join(' ');
}

/**
 * Azure Functions timer schedules (NCRONTAB, six fields: `second minute hour day-of-month month
 * day-of-week`), evaluated in UTC, plus their translation to AWS EventBridge schedule expressions.
 * Pure and dependency-free so both the Azure and AWS adapters can share it.
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
// Any satisfiable schedule recurs within 4 years (Feb 29); 5 leaves margin.
const SEARCH_MS = 5 * 366 * 24 * 3600 * SECOND_MS;

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

function parseField(expr: string, spec: FieldSpec, text: string): Set<number> {
  const fail = (why: string): never => {
    throw new ScheduleError(`Invalid NCRONTAB expression "${expr}": ${spec.name} field "${text}": ${why}`);
  };
  const value = (token: string): number => {
    const index = spec.names?.indexOf(token.toUpperCase()) ?? -1;
    const n = /^\d+$/.test(token) ? Number(token) : index >= 0 ? spec.min + index : NaN;
    if (Number.isNaN(n)) return fail(`"${token}" is not a number${spec.names ? ' or name' : ''}`);
    if (n < spec.min || n > (spec.explicitMax ?? spec.max)) return fail(`${n} is outside ${spec.min}-${spec.max}`);
    return n;
  };

  const values = new Set<number>();
  for (const token of text.split(',')) {
    const [range = '', step, ...extra] = token.split('/');
    if (range === '' || extra.length > 0) fail(`"${token}" is malformed`);
    if (step !== undefined && (!/^\d+$/.test(step) || Number(step) === 0)) {
      fail(`step "${step}" must be a positive integer`);
    }
    const stride = step === undefined ? 1 : Number(step);
    let lo = spec.min;
    let hi = spec.max;
    if (range !== '*') {
      const bounds = range.split('-');
      if (bounds.length > 2) fail(`"${range}" is not a range`);
      lo = value(bounds[0] ?? '');
      // `a/n` runs to the end of the field; a bare `a` is just itself.
      hi = bounds.length === 2 ? value(bounds[1] ?? '') : step !== undefined ? spec.max : lo;
      if (lo > hi) fail(`range "${range}" runs backwards`);
    }
    // Only day-of-week goes past max (7 = Sunday), which wraps to min (0).
    for (let v = lo; v <= hi; v += stride) values.add(v > spec.max ? spec.min : v);
  }
  return values;
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

function dayMatches(s: CronSchedule, date: Date): boolean {
  const dom = s.daysOfMonth.has(date.getUTCDate());
  const dow = s.daysOfWeek.has(date.getUTCDay());
  // Classic cron: when both day fields are restricted, either one suffices.
  return s.dayOfMonthRestricted && s.dayOfWeekRestricted ? dom || dow : dom && dow;
}

/** First matching second from `start` (inclusive) in direction `dir`, skipping whole non-matching units. */
function seek(s: CronSchedule, start: number, dir: 1 | -1): number {
  const limit = start + dir * SEARCH_MS;
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
    `NCRONTAB expression "${s.expression}" has no occurrence within 5 years ${dir > 0 ? 'after' : 'before'} ` +
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

function awsDayOfWeek(expr: string, field: string): string {
  return field
    .split(',')
    .map((token) => {
      const [range = '', step] = token.split('/');
      const bounds = range.split('-');
      if (bounds.some((b) => b !== '' && Number(b) === 7) && (bounds.length > 1 || step !== undefined)) {
        // A range reaching 7 (Sunday) would wrap past AWS's 7 (Saturday), so list its days instead.
        return [...parseField(expr, DAY_OF_WEEK, token)].sort((a, b) => a - b).map((d) => d + 1).join(',');
      }
      // AWS numbers days 1-7 from SUN; names mean the same day in both, and steps keep their meaning.
      const shifted = bounds.map((b) => (/^\d+$/.test(b) ? String((Number(b) % 7) + 1) : b.toUpperCase())).join('-');
      return step === undefined ? shifted : `${shifted}/${step}`;
    })
    .join(',');
}

/** Translates an NCRONTAB expression to an AWS EventBridge `rate(...)` or `cron(...)` expression. */
export function toAwsSchedule(expr: string): string {
  const s = parseNcrontab(expr);
  const [second, minute = '', hour = '', dom = '', month = '', dow = ''] = splitFields(expr);
  if (s.seconds.size !== 1 || !s.seconds.has(0)) {
    throw new ScheduleError(
      `Cannot translate "${expr}" to AWS: AWS schedules have minute precision, so the second field must be 0 (got "${second}")`,
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
      `Cannot translate "${expr}" to AWS: it restricts both day-of-month and day-of-week, but AWS needs one of them to be "?"`,
    );
  }
  const [awsDom, awsDow] = s.dayOfWeekRestricted ? ['?', awsDayOfWeek(expr, dow)] : [dom, '?'];
  return `cron(${minute} ${hour} ${awsDom} ${month.toUpperCase()} ${awsDow} *)`;
}

/** fast-check arbitraries for NCRONTAB expressions, shared by the schedule suites. */
import fc from 'fast-check';

export const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
export const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

// Random NCRONTAB fields built from the grammar: *, values, ranges, steps and lists, names sometimes.
export function fieldArb(min: number, max: number, names: readonly string[] = [], explicitMax = max): fc.Arbitrary<string> {
  const value = fc.integer({ min, max: explicitMax });
  const written = value.chain((v) => {
    const name = names[v - min];
    return name === undefined ? fc.constant(String(v)) : fc.constantFrom(String(v), name, name.toLowerCase());
  });
  const bounds = fc.tuple(value, value).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const);
  const step = fc.integer({ min: 1, max: max - min + 1 });
  const terms = [
    fc.constant('*'),
    written,
    bounds.map(([a, b]) => `${a}-${b}`),
    step.map((n) => `*/${n}`),
    fc.tuple(fc.integer({ min, max }), step).map(([a, n]) => `${a}/${n}`),
    fc.tuple(bounds, step).map(([[a, b], n]) => `${a}-${b}/${n}`),
  ];
  if (names.length > 3) {
    // Name ranges, e.g. MON-FRI or feb-NOV.
    terms.push(fc.tuple(fc.constantFrom(...names.slice(0, 3)), fc.constantFrom(...names.slice(3))).map(([a, b]) => `${a}-${b}`));
  }
  const term = fc.oneof(...terms);
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant('*') },
    { weight: 3, arbitrary: fc.array(term, { minLength: 1, maxLength: 3 }).map((terms) => terms.join(',')) },
  );
}


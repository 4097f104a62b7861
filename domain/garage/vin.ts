/**
 * Vehicle identification numbers (ISO 3779, 49 CFR 565). We accept only the modern 17-character
 * form: letters and digits without I, O and Q (easily misread as 1 and 0). A VIN whose first
 * character is 1-5 was assigned in North America, where position 9 is a mandatory check digit,
 * so it must match; elsewhere position 9 is free and is not checked. Pre-1981 VINs (shorter,
 * free-form) are refused; the upstream stored any text up to 32 characters.
 */

export const VIN_PATTERN = '^[A-HJ-NPR-Za-hj-npr-z0-9]{17}$';

const TRANSLITERATION: Readonly<Record<string, number>> = {
  A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8,
  J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9,
  S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9,
};
const WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2] as const;

/** The check digit a VIN's other 16 characters call for: `0`-`9` or `X` (10). */
export function vinCheckDigit(vin: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const char = vin[i]!.toUpperCase();
    const value = /[0-9]/.test(char) ? Number(char) : (TRANSLITERATION[char] ?? 0);
    sum += value * WEIGHTS[i]!;
  }
  const remainder = sum % 11;
  return remainder === 10 ? 'X' : String(remainder);
}

/** Why a VIN is refused, or undefined when it is acceptable. `vin` is already trimmed. */
export function vinProblem(vin: string): string | undefined {
  if (vin.length !== 17) return 'must be 17 characters';
  if (/[IOQioq]/.test(vin)) return 'may not contain I, O or Q';
  if (!new RegExp(VIN_PATTERN).test(vin)) return 'may hold only letters and digits';
  if (/^[1-5]/.test(vin) && vin[8]!.toUpperCase() !== vinCheckDigit(vin)) return `has a wrong check digit (position 9 should be ${vinCheckDigit(vin)})`;
  return undefined;
}

/** The form VINs are compared in (unique per user, case-insensitively). */
export const vinKey = (vin: string): string => vin.trim().toUpperCase();

/**
 * The taste calibration's confidence profile (the profile's server-maintained
 * `styleConfidenceProfile`): how sure the server is that the user likes each style keyword and
 * brand. Signals come from a completed quiz session (strong) and from up-votes in the discover
 * feed (weak); each moves a confidence towards 1 by its weight, so it never passes 1 and many
 * weak signals count for less than certainty. Pure; the taste job applies it.
 */

export type TasteSignalSource = 'quiz' | 'feedback';

/** How far one signal moves a confidence from where it is towards 1. */
export const SIGNAL_WEIGHT: Record<TasteSignalSource, number> = { quiz: 0.5, feedback: 0.1 };
/** Each map keeps its strongest entries, so a heavy voter's profile stays bounded. */
export const CONFIDENCE_MAX_ENTRIES = 200;
/** The ids of the signals already applied, newest last: a redelivered job changes nothing. */
export const APPLIED_SIGNALS_MAX = 200;

export interface StyleConfidenceProfile {
  styleKeywords: Record<string, number>;
  brands: Record<string, number>;
  appliedSignals: string[];
  updatedAt: string;
}

export interface TasteSignal {
  /** The job's id: deterministic per quiz session or per (user, liked item). */
  id: string;
  source: TasteSignalSource;
  styleKeywords: readonly string[];
  brands: readonly string[];
  at: string;
}

const numbers = (value: unknown): Record<string, number> => {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter((entry): entry is [string, number] => typeof entry[1] === 'number' && entry[1] >= 0 && entry[1] <= 1));
};

/** Whatever is stored (written by an older shape, or never), read as a profile. */
export function readConfidence(stored: Record<string, unknown> | undefined): StyleConfidenceProfile {
  const applied = Array.isArray(stored?.appliedSignals) ? stored.appliedSignals.filter((id): id is string => typeof id === 'string') : [];
  return { styleKeywords: numbers(stored?.styleKeywords), brands: numbers(stored?.brands), appliedSignals: applied, updatedAt: typeof stored?.updatedAt === 'string' ? stored.updatedAt : '' };
}

const round = (value: number) => Math.round(value * 1000) / 1000;

function strengthen(current: Record<string, number>, keys: readonly string[], weight: number): Record<string, number> {
  const next = { ...current };
  const seen = new Set<string>();
  for (const raw of keys) {
    const key = raw.trim().toLowerCase();
    if (!key || seen.has(key)) continue;
    seen.add(key);
    const was = next[key] ?? 0;
    next[key] = round(was + weight * (1 - was));
  }
  const entries = Object.entries(next).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return Object.fromEntries(entries.slice(0, CONFIDENCE_MAX_ENTRIES));
}

/** The profile with the signal applied, or undefined when it was applied already or says nothing. */
export function applyTasteSignal(stored: Record<string, unknown> | undefined, signal: TasteSignal): StyleConfidenceProfile | undefined {
  const current = readConfidence(stored);
  if (current.appliedSignals.includes(signal.id)) return undefined;
  if (signal.styleKeywords.length === 0 && signal.brands.length === 0) return undefined;
  const weight = SIGNAL_WEIGHT[signal.source];
  return {
    styleKeywords: strengthen(current.styleKeywords, signal.styleKeywords, weight),
    brands: strengthen(current.brands, signal.brands, weight),
    appliedSignals: [...current.appliedSignals, signal.id].slice(-APPLIED_SIGNALS_MAX),
    updatedAt: signal.at,
  };
}

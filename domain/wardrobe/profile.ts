/**
 * The PluckIt user profile (../shared/contracts/pluckit.md section 6.6): what the user edits
 * (measurements, currency, size system, style lists, city, opt-in) and what the server maintains
 * (the digest's wardrobe hashes, the taste calibration's confidence profile, the climate zone).
 * One document per user; the digest and taste areas read and write the server fields.
 */
import type { StoredClothingItem } from './clothing-item.ts';
import { isFinalised } from './clothing-item.ts';
import { readConfidence } from './taste.ts';

export const MEASUREMENTS = ['heightCm', 'weightKg', 'chestCm', 'waistCm', 'hipsCm', 'inseamCm'] as const;
export const PROFILE_LISTS = ['stylePreferences', 'favoriteBrands', 'preferredColours'] as const;
/** Written by the server only: PUT never changes them (the upstream's full replace lost them, section 9 item 12). */
export const SERVER_FIELDS = ['wardrobeHashAtLastDigest', 'wardrobeFingerprint', 'styleConfidenceProfile', 'climateZone'] as const;

export type Measurement = (typeof MEASUREMENTS)[number];
export type ProfileList = (typeof PROFILE_LISTS)[number];

/** What the user edits: PUT replaces all of these (absent = default). */
export interface EditableProfile {
  heightCm?: number;
  weightKg?: number;
  chestCm?: number;
  waistCm?: number;
  hipsCm?: number;
  inseamCm?: number;
  currencyCode: string;
  preferredSizeSystem: string;
  stylePreferences: string[];
  favoriteBrands: string[];
  preferredColours: string[];
  locationCity?: string;
  recommendationOptIn: boolean;
}

/** What the server maintains: kept by PUT whatever the client sends. */
export interface ServerProfileFields {
  wardrobeHashAtLastDigest?: string;
  wardrobeFingerprint?: string;
  /** AI-inferred: how sure the taste calibration is of each style (its shape is the writer's). */
  styleConfidenceProfile?: Record<string, unknown>;
  climateZone?: string;
}

/** The profile as the clients read it; `id` is the user's id. */
export interface UserProfile extends EditableProfile, ServerProfileFields {
  id: string;
}

export const PROFILE_LIMITS = { measurement: 1000, list: 100, text: 100 } as const;

/** What GET answers when nothing is stored (the upstream's defaults). */
export function defaultProfile(userId: string): UserProfile {
  return { id: userId, currencyCode: 'USD', preferredSizeSystem: 'US', stylePreferences: [], favoriteBrands: [], preferredColours: [], recommendationOptIn: true };
}

const trimmedList = (values: readonly string[] | undefined): string[] => {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const value of values ?? []) {
    const clean = value.trim();
    if (clean && !seen.has(clean.toLowerCase())) {
      seen.add(clean.toLowerCase());
      out.push(clean);
    }
  }
  return out;
};

/** The body of PUT /api/profile, as its schema validated it (`id` and the server fields may be there; they are ignored). */
export type ProfileBody = Partial<Record<Measurement, number | null>> &
  Partial<Record<ProfileList, string[] | null>> & {
    currencyCode?: string | null;
    preferredSizeSystem?: string | null;
    locationCity?: string | null;
    recommendationOptIn?: boolean | null;
    [other: string]: unknown;
  };

/**
 * PUT: the editable fields are replaced (what the body leaves out takes its default, as
 * upstream), the id is the caller's, and the server's fields are carried over from what is
 * stored: a client's copy of them is stale by definition, and the mobile app never sends them.
 * `currencyCode` must already be a known ISO 4217 code (upper case).
 */
export function replaceProfile(stored: UserProfile | undefined, body: ProfileBody, userId: string): UserProfile {
  const defaults = defaultProfile(userId);
  const next: UserProfile = {
    id: userId,
    currencyCode: body.currencyCode ? body.currencyCode.toUpperCase() : defaults.currencyCode,
    preferredSizeSystem: body.preferredSizeSystem?.trim() || defaults.preferredSizeSystem,
    stylePreferences: trimmedList(body.stylePreferences ?? undefined),
    favoriteBrands: trimmedList(body.favoriteBrands ?? undefined),
    preferredColours: trimmedList(body.preferredColours ?? undefined),
    recommendationOptIn: body.recommendationOptIn ?? defaults.recommendationOptIn,
  };
  for (const field of MEASUREMENTS) {
    const value = body[field];
    if (typeof value === 'number') next[field] = value;
  }
  const city = body.locationCity?.trim();
  if (city) next.locationCity = city;
  for (const field of SERVER_FIELDS) {
    if (stored?.[field] !== undefined) (next as unknown as Record<string, unknown>)[field] = stored[field];
  }
  return next;
}

/** The least confidence at which an inferred style counts (the taste scores' preference threshold). */
export const INFERRED_STYLE_CONFIDENCE = 1 / 3;

/**
 * The styles the user is known to like, for the digest's `stylesConsidered`: the ones they chose
 * (in their order), then the ones the taste calibration inferred with enough confidence
 * (`styleConfidenceProfile.styleKeywords`, as the taste job writes it: `{style: confidence 0..1}`; strongest first, ties by name; other
 * shapes are ignored), each once, case-insensitively.
 */
export function stylesOf(profile: Pick<UserProfile, 'stylePreferences' | 'styleConfidenceProfile'>): string[] {
  const { styleKeywords } = readConfidence(profile.styleConfidenceProfile);
  const inferred = Object.entries(styleKeywords)
    .filter(([, confidence]) => confidence >= INFERRED_STYLE_CONFIDENCE)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .map(([style]) => style);
  return trimmedList([...(profile.stylePreferences ?? []), ...inferred]);
}

/** The `known*` lists of GET /api/user/me: what the caller's finalised items use, each distinct (case-insensitively) and sorted. */
export function knownValues(items: readonly Pick<StoredClothingItem, 'brand' | 'category' | 'colours' | 'draftStatus'>[]): { knownBrands: string[]; knownColors: string[]; knownCategories: string[] } {
  const finalised = items.filter(isFinalised);
  const distinct = (values: (string | undefined)[]) => trimmedList(values.filter((value): value is string => typeof value === 'string')).sort((a, b) => a.localeCompare(b, 'en'));
  return {
    knownBrands: distinct(finalised.map((item) => item.brand)),
    knownColors: distinct(finalised.flatMap((item) => (item.colours ?? []).map((colour) => colour.name))),
    knownCategories: distinct(finalised.map((item) => item.category)),
  };
}

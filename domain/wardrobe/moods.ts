/**
 * Moods: a named palette and a hand-picked set of the user's items. Suggestions come from the
 * model, from a compact summary of the user's items; its answer is only ever filtered down to
 * ids the user owns. The offline answer is a deterministic palette-distance ranking.
 */
import { parseHex, rgbToLab, type Lab } from './colours.ts';
import type { ItemColour, WardrobeItem } from './items.ts';

/** Stored in `wardrobe-moods`, partitioned by user. */
export interface Mood {
  id: string;
  userId: string;
  name: string;
  description: string | null;
  /** `#rrggbb`, lower case, no duplicates. */
  palette: string[];
  itemIds: string[];
  createdAt: string;
  updatedAt: string;
}

export const MOOD_LIMITS = { name: 100, description: 1000, palette: 12, itemIds: 100 } as const;

/** An item closer than this (CIE76 ΔE between its nearest colour and the nearest palette colour) matches. */
export const MATCH_DISTANCE = 40;
/** How much of the wardrobe a suggestion prompt may carry. */
export const SUMMARY_LIMITS = { items: 200, name: 60, tags: 5, colours: 4, chars: 24_000 } as const;

export type SuggestCandidate = Pick<WardrobeItem, 'id' | 'name' | 'category' | 'colours' | 'tags'>;

export interface Suggestion {
  itemIds: string[];
  reasoning: string;
}

/** The model's structured answer. */
export const suggestionSchema = {
  name: 'mood_suggestion',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['itemIds', 'reasoning'],
    properties: { itemIds: { type: 'array', items: { type: 'string' } }, reasoning: { type: 'string' } },
  },
} as const;

export const normaliseHex = (hex: string) => hex.toLowerCase();
export const normalisePalette = (palette: readonly string[]) => [...new Set(palette.map(normaliseHex))];

// ---------------------------------------------------------------- colour distance (CIELAB, the media area's conversion)

function toLab(hex: string): Lab | undefined {
  const rgb = parseHex(hex);
  return rgb && rgbToLab(...rgb);
}

/** CIE76 ΔE between two `#rrggbb` colours (undefined for anything else). */
export function colourDistance(a: string, b: string): number | undefined {
  const [x, y] = [toLab(a), toLab(b)];
  if (!x || !y) return undefined;
  return Math.hypot(x[0] - y[0], x[1] - y[1], x[2] - y[2]);
}

/** The smallest distance between any of the item's colours and any palette colour. */
export function paletteDistance(colours: readonly ItemColour[], palette: readonly string[]): number | undefined {
  let best: number | undefined;
  for (const colour of colours) {
    for (const swatch of palette) {
      const distance = colourDistance(colour.hex, swatch);
      if (distance !== undefined && (best === undefined || distance < best)) best = distance;
    }
  }
  return best;
}

/**
 * The offline suggestion: items whose nearest colour is within MATCH_DISTANCE of the palette,
 * closest first (then by name, then id), at most `limit`. Deterministic for the same wardrobe.
 */
export function rankByPalette(items: readonly SuggestCandidate[], palette: readonly string[], limit: number): Suggestion {
  const scored = items
    .map((item) => ({ item, distance: paletteDistance(item.colours, palette) }))
    .filter((entry): entry is { item: SuggestCandidate; distance: number } => entry.distance !== undefined && entry.distance <= MATCH_DISTANCE)
    .sort((a, b) => a.distance - b.distance || (a.item.name < b.item.name ? -1 : a.item.name > b.item.name ? 1 : 0) || (a.item.id < b.item.id ? -1 : 1))
    .slice(0, limit);
  const reasoning = scored.length
    ? `Offline palette match: ${scored.map(({ item, distance }) => `${item.name} (ΔE ${distance.toFixed(1)})`).join(', ')} sit closest to ${palette.join(', ')}.`
    : palette.length
      ? `No item has a colour within ΔE ${MATCH_DISTANCE} of ${palette.join(', ')}.`
      : 'The mood has no palette to match against.';
  return { itemIds: scored.map(({ item }) => item.id), reasoning };
}

/**
 * The wardrobe as the model sees it: one compact JSON line per item, bounded in count and
 * characters. Item text is the user's own and untrusted: it travels as data, and the answer is
 * filtered to known ids whatever it says.
 */
export function summariseForModel(items: readonly SuggestCandidate[]): { lines: string; candidateIds: string[] } {
  const lines: string[] = [];
  const candidateIds: string[] = [];
  let chars = 0;
  for (const item of items.slice(0, SUMMARY_LIMITS.items)) {
    const line = JSON.stringify({
      id: item.id,
      name: item.name.slice(0, SUMMARY_LIMITS.name),
      category: item.category,
      colours: item.colours.slice(0, SUMMARY_LIMITS.colours).map((colour) => `${colour.name} ${colour.hex}`),
      tags: item.tags.slice(0, SUMMARY_LIMITS.tags),
    });
    if (chars + line.length + 1 > SUMMARY_LIMITS.chars) break;
    chars += line.length + 1;
    lines.push(line);
    candidateIds.push(item.id);
  }
  return { lines: lines.join('\n'), candidateIds };
}

/** The model's pick, kept only where it names a candidate: no duplicates, at most `limit`, model order. */
export function ownedPicks(answer: unknown, candidateIds: readonly string[], limit: number): string[] {
  const owned = new Set(candidateIds);
  const picked = new Set<string>();
  const ids = typeof answer === 'object' && answer !== null && Array.isArray((answer as Suggestion).itemIds) ? (answer as Suggestion).itemIds : [];
  for (const id of ids) {
    if (picked.size >= limit) break;
    if (typeof id === 'string' && owned.has(id)) picked.add(id);
  }
  return [...picked];
}

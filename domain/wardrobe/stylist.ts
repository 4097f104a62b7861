/**
 * The legacy non-streaming stylist (contract section 6.7, POST /api/stylist/recommendations):
 * outfits picked from the caller's finalised items. Pure: which items are candidates for a
 * request, how they are shown to the model, the model's answer schema, how that answer is
 * trimmed to the candidates, and the offline provider's deterministic outfits.
 */
import { isFinalised, type StoredClothingItem } from './clothing-item.ts';

export interface RecommendationRequest {
  stylePrompt?: string;
  occasion?: string;
  preferredColors?: string[];
  excludedColors?: string[];
  pageSize?: number;
  minWears?: number;
  maxWears?: number;
  category?: string;
}

/** One outfit, as the web client's service declares it. */
export interface Recommendation {
  title: string;
  description: string;
  clothingItemIds: string[];
}

export const STYLIST_LIMITS = { pageSize: 20, defaultPageSize: 5, itemsPerOutfit: 6, candidates: 200, title: 120, description: 1000 } as const;

export type StylistCandidate = Pick<StoredClothingItem, 'id' | 'category' | 'brand' | 'colours' | 'tags' | 'wearCount'>;

const lower = (value: string | undefined) => (value ?? '').trim().toLowerCase();

/**
 * The finalised items the request allows: its category (case-insensitive), its wear range, and
 * none wearing an excluded colour (by colour name, case-insensitive). Those wearing a preferred
 * colour come first, then the least worn (they deserve an outing), then by id, so it is stable.
 */
export function stylistCandidates(items: readonly StoredClothingItem[], request: RecommendationRequest): StylistCandidate[] {
  const excluded = new Set((request.excludedColors ?? []).map(lower));
  const preferred = new Set((request.preferredColors ?? []).map(lower));
  const prefers = (item: StylistCandidate) => item.colours.some((colour) => preferred.has(lower(colour.name)));
  return items
    .filter(isFinalised)
    .filter((item) => request.category === undefined || lower(item.category) === lower(request.category))
    .filter((item) => (request.minWears === undefined || item.wearCount >= request.minWears) && (request.maxWears === undefined || item.wearCount <= request.maxWears))
    .filter((item) => !item.colours.some((colour) => excluded.has(lower(colour.name))))
    .map(({ id, category, brand, colours, tags, wearCount }) => ({ id, category, brand, colours, tags, wearCount }))
    .sort((a, b) => Number(prefers(b)) - Number(prefers(a)) || a.wearCount - b.wearCount || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, STYLIST_LIMITS.candidates);
}

/** One JSON line per candidate: what the model sees of the wardrobe (data, never instructions). */
export const candidateLines = (candidates: readonly StylistCandidate[]): string =>
  candidates
    .map((item) => JSON.stringify({ id: item.id, category: item.category ?? null, brand: item.brand ?? null, colours: item.colours.slice(0, 4).map((colour) => colour.name), tags: item.tags.slice(0, 5), wearCount: item.wearCount }))
    .join('\n');

/** The model's structured answer. */
export const recommendationsSchema = {
  name: 'stylist_recommendations',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['recommendations'],
    properties: {
      recommendations: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['title', 'description', 'itemIds'],
          properties: { title: { type: 'string' }, description: { type: 'string' }, itemIds: { type: 'array', items: { type: 'string' } } },
        },
      },
    },
  },
} as const;

export interface ModelRecommendations {
  recommendations: { title: string; description: string; itemIds: string[] }[];
}

/**
 * The answer, trusted for nothing: only candidate ids survive (each once per outfit, at most
 * `itemsPerOutfit`), an outfit left empty is dropped, texts are trimmed and capped, and there
 * are at most `pageSize` outfits.
 */
export function trimRecommendations(answer: unknown, candidateIds: readonly string[], pageSize: number): Recommendation[] {
  const known = new Set(candidateIds);
  const list = typeof answer === 'object' && answer !== null && Array.isArray((answer as ModelRecommendations).recommendations) ? (answer as ModelRecommendations).recommendations : [];
  const out: Recommendation[] = [];
  for (const entry of list) {
    if (out.length >= pageSize) break;
    if (typeof entry !== 'object' || entry === null) continue;
    const ids = Array.isArray(entry.itemIds) ? [...new Set(entry.itemIds.filter((id): id is string => typeof id === 'string' && known.has(id)))].slice(0, STYLIST_LIMITS.itemsPerOutfit) : [];
    if (!ids.length) continue;
    const text = (value: unknown, max: number) => (typeof value === 'string' ? value.trim().slice(0, max) : '');
    out.push({ title: text(entry.title, STYLIST_LIMITS.title) || `Look ${out.length + 1}`, description: text(entry.description, STYLIST_LIMITS.description), clothingItemIds: ids });
  }
  return out;
}

/**
 * Offline: outfit k takes the k-th candidate of each category (categories by name), so every
 * outfit mixes categories and no item repeats across outfits; the candidates' order puts the
 * preferred colours and the least worn first.
 */
export function offlineRecommendations(candidates: readonly StylistCandidate[], request: RecommendationRequest, pageSize: number): ModelRecommendations {
  const byCategory = new Map<string, StylistCandidate[]>();
  for (const item of candidates) {
    const key = lower(item.category) || 'other';
    byCategory.set(key, [...(byCategory.get(key) ?? []), item]);
  }
  const categories = [...byCategory.keys()].sort();
  const occasion = request.occasion?.trim() || 'Everyday';
  const recommendations: ModelRecommendations['recommendations'] = [];
  for (let k = 0; recommendations.length < pageSize; k++) {
    const picked = categories.map((category) => byCategory.get(category)![k]).filter((item): item is StylistCandidate => item !== undefined).slice(0, STYLIST_LIMITS.itemsPerOutfit);
    if (!picked.length) break;
    const parts = picked.map((item) => [item.colours[0]?.name, item.brand, item.category ?? 'item'].filter(Boolean).join(' '));
    recommendations.push({ title: `${occasion} look ${k + 1}`, description: `Offline pick: ${parts.join(', ')}.`, itemIds: picked.map((item) => item.id) });
  }
  return { recommendations };
}

/**
 * The taste quiz as the PluckIt Processor runs it (contract section 7.6): a session of mood
 * cards, one per primary mood, that the user swipes up or down; completing it infers style
 * keywords from the moods they liked. Pure: the cards, the session's shape and the inference.
 */
import { MOOD_CATALOGUE, moodId, PRIMARY_MOODS, type PrimaryMood } from './moods.ts';

export type QuizSignal = 'up' | 'down';

export interface QuizCard {
  primaryMood: PrimaryMood;
  moodId: string;
  title: string;
  description: string;
  keywords: string[];
}

export interface QuizResponse {
  signal: QuizSignal;
  cardPrimaryMood?: PrimaryMood;
  scrapedItemId?: string;
  respondedAt: string;
}

export interface InferredTastes {
  styleKeywords: string[];
  brands: string[];
}

export interface QuizSession {
  id: string;
  userId: string;
  sessionId: string;
  phase: 'mood_cards' | 'complete';
  isComplete: boolean;
  createdAt: string;
  completedAt: string | null;
  inferredTastes: InferredTastes | null;
  cards: QuizCard[];
  targetResponses: number;
  responses: QuizResponse[];
}

/** One answer per card. */
export const QUIZ_TARGET_RESPONSES = PRIMARY_MOODS.length;
/** A session takes at most this many responses (a client changing its mind, within reason). */
export const QUIZ_MAX_RESPONSES = 100;
export const STYLE_KEYWORDS_MAX = 20;

/** A mood that may stand for its primary mood on a card: the catalogue's, or a seeded one with its trend. */
export interface CardCandidate {
  id: string;
  primaryMood: PrimaryMood;
  name: string;
  description: string;
  keywords: string[];
  trendScore?: number;
}

/** One card per primary mood, in the primary moods' order: its most trending mood, else the catalogue's first. */
export function quizCards(seeded: readonly CardCandidate[]): QuizCard[] {
  return PRIMARY_MOODS.map((primaryMood) => {
    const best = seeded.filter((mood) => mood.primaryMood === primaryMood).sort((a, b) => (b.trendScore ?? 0) - (a.trendScore ?? 0))[0];
    const fallback = MOOD_CATALOGUE.find((mood) => mood.primaryMood === primaryMood)!;
    const mood = best ?? { ...fallback, id: moodId(primaryMood, fallback.name) };
    return { primaryMood, moodId: mood.id, title: mood.name, description: mood.description, keywords: [...mood.keywords] };
  });
}

/**
 * The tastes a session's answers show: every primary mood liked more than disliked, strongest
 * first (ties in card order), as its own name and its card's keywords, without repeats.
 * `brands` come from liked scraped items, which this quiz does not show yet, so it is empty.
 */
export function inferTastes(cards: readonly QuizCard[], responses: readonly QuizResponse[]): InferredTastes {
  const net = new Map<PrimaryMood, number>();
  for (const response of responses) {
    if (!response.cardPrimaryMood) continue;
    net.set(response.cardPrimaryMood, (net.get(response.cardPrimaryMood) ?? 0) + (response.signal === 'up' ? 1 : -1));
  }
  const liked = cards.filter((card) => (net.get(card.primaryMood) ?? 0) > 0).sort((a, b) => net.get(b.primaryMood)! - net.get(a.primaryMood)!);
  const keywords = [...new Set(liked.flatMap((card) => [card.primaryMood.toLowerCase(), ...card.keywords]))];
  return { styleKeywords: keywords.slice(0, STYLE_KEYWORDS_MAX), brands: [] };
}

/**
 * Taste calibration: a fixed, versioned question bank, and the pure scoring that turns answers
 * into a taste profile. Each option carries weights on dimension values; a profile is the sum
 * of the chosen weights, normalised per dimension so each dimension's values add up to 1.
 */
import { badRequest, type FieldProblem } from '../errors.ts';

export const TASTE_DIMENSIONS = ['style', 'colour', 'fit', 'formality', 'pattern'] as const;
export type TasteDimension = (typeof TASTE_DIMENSIONS)[number];

/** The values each dimension can take, in the order ties are broken. */
export const DIMENSION_VALUES: Readonly<Record<TasteDimension, readonly string[]>> = {
  style: ['classic', 'minimal', 'streetwear', 'bohemian', 'sporty'],
  colour: ['neutral', 'earth', 'pastel', 'bold', 'monochrome'],
  fit: ['slim', 'regular', 'relaxed'],
  formality: ['casual', 'smart-casual', 'formal'],
  pattern: ['solid', 'stripes', 'florals', 'graphic'],
};

type Weights = Partial<Record<TasteDimension, Readonly<Record<string, number>>>>;

export interface QuizOption {
  id: string;
  label: string;
  weights: Weights;
}

export interface QuizQuestion {
  id: string;
  prompt: string;
  options: readonly QuizOption[];
}

export const QUIZ_VERSION = 1;

/** Version 1 of the bank. Changing a weight or an id means a new QUIZ_VERSION. */
export const QUIZ: readonly QuizQuestion[] = [
  {
    id: 'style-weekend',
    prompt: 'Which outfit would you pick for a free Saturday?',
    options: [
      { id: 'chinos-oxford', label: 'Chinos and an oxford shirt', weights: { style: { classic: 3 }, formality: { 'smart-casual': 1 } } },
      { id: 'clean-basics', label: 'A plain tee and straight jeans', weights: { style: { minimal: 3 }, pattern: { solid: 1 } } },
      { id: 'hoodie-sneakers', label: 'An oversized hoodie and sneakers', weights: { style: { streetwear: 3 }, fit: { relaxed: 1 } } },
      { id: 'flowy-layers', label: 'Flowy layers and sandals', weights: { style: { bohemian: 3 }, fit: { relaxed: 1 } } },
      { id: 'athleisure', label: 'Joggers and a technical jacket', weights: { style: { sporty: 3 }, formality: { casual: 1 } } },
    ],
  },
  {
    id: 'colour-palette',
    prompt: 'Which palette feels most like you?',
    options: [
      { id: 'neutrals', label: 'Black, white, grey and navy', weights: { colour: { neutral: 3 }, style: { minimal: 1 } } },
      { id: 'earth-tones', label: 'Olive, rust, camel and brown', weights: { colour: { earth: 3 }, style: { bohemian: 1 } } },
      { id: 'pastels', label: 'Soft pinks, mint and lavender', weights: { colour: { pastel: 3 } } },
      { id: 'brights', label: 'Cobalt, red and saturated colour', weights: { colour: { bold: 3 }, style: { streetwear: 1 } } },
      { id: 'all-black', label: 'All black, always', weights: { colour: { monochrome: 3 }, style: { minimal: 1 } } },
    ],
  },
  {
    id: 'fit-preference',
    prompt: 'How do you like your clothes to fit?',
    options: [
      { id: 'fitted', label: 'Close to the body', weights: { fit: { slim: 3 } } },
      { id: 'true-to-size', label: 'Neither tight nor loose', weights: { fit: { regular: 3 } } },
      { id: 'oversized', label: 'Loose and oversized', weights: { fit: { relaxed: 3 }, style: { streetwear: 1 } } },
    ],
  },
  {
    id: 'formality-workday',
    prompt: 'What do you usually wear on a workday?',
    options: [
      { id: 'jeans-tee', label: 'Jeans and a tee', weights: { formality: { casual: 3 } } },
      { id: 'knit-trousers', label: 'A knit and tailored trousers', weights: { formality: { 'smart-casual': 3 }, style: { classic: 1 } } },
      { id: 'suit', label: 'A suit or a dress', weights: { formality: { formal: 3 }, style: { classic: 1 }, fit: { slim: 1 } } },
    ],
  },
  {
    id: 'pattern-choice',
    prompt: 'Which print would you wear most often?',
    options: [
      { id: 'no-print', label: 'No print: solid colours', weights: { pattern: { solid: 3 }, style: { minimal: 1 } } },
      { id: 'breton', label: 'Breton stripes', weights: { pattern: { stripes: 3 }, style: { classic: 1 } } },
      { id: 'floral', label: 'Florals', weights: { pattern: { florals: 3 }, style: { bohemian: 1 }, colour: { pastel: 1 } } },
      { id: 'logo-graphic', label: 'Logos and graphics', weights: { pattern: { graphic: 3 }, style: { streetwear: 1 } } },
    ],
  },
  {
    id: 'shoes-everyday',
    prompt: 'Which shoes do you reach for first?',
    options: [
      { id: 'loafers', label: 'Loafers or brogues', weights: { style: { classic: 2 }, formality: { 'smart-casual': 2 } } },
      { id: 'white-sneakers', label: 'White leather sneakers', weights: { style: { minimal: 2 }, colour: { neutral: 1 }, formality: { casual: 1 } } },
      { id: 'running-shoes', label: 'Running shoes', weights: { style: { sporty: 2 }, formality: { casual: 2 } } },
      { id: 'boots', label: 'Boots', weights: { style: { bohemian: 1, classic: 1 }, colour: { earth: 1 } } },
    ],
  },
];

export interface TasteAnswer {
  questionId: string;
  optionId: string;
}

/** The bank as clients see it: no weights. */
export function quizView(): { version: number; questions: { id: string; prompt: string; options: { id: string; label: string }[] }[] } {
  return {
    version: QUIZ_VERSION,
    questions: QUIZ.map((question) => ({ id: question.id, prompt: question.prompt, options: question.options.map(({ id, label }) => ({ id, label })) })),
  };
}

/** Throws a 400 naming every unknown question, unknown option and repeated question. */
export function checkAnswers(answers: readonly TasteAnswer[]): void {
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  answers.forEach((answer, index) => {
    const question = QUIZ.find((candidate) => candidate.id === answer.questionId);
    if (!question) {
      problems.push({ pointer: `/body/answers/${index}/questionId`, detail: `unknown question "${answer.questionId}"` });
      return;
    }
    if (seen.has(question.id)) problems.push({ pointer: `/body/answers/${index}/questionId`, detail: `question "${question.id}" is answered more than once` });
    seen.add(question.id);
    if (!question.options.some((option) => option.id === answer.optionId)) {
      problems.push({ pointer: `/body/answers/${index}/optionId`, detail: `unknown option "${answer.optionId}" for question "${question.id}"` });
    }
  });
  if (problems.length > 0) {
    throw badRequest('invalid_answers', `Some answers do not match the quiz: ${problems.map((problem) => problem.detail).join('; ')}.`, problems);
  }
}

/** The same answers in one order (by question id), so equal submissions compare equal. */
export function canonicalAnswers(answers: readonly TasteAnswer[]): TasteAnswer[] {
  return [...answers].map(({ questionId, optionId }) => ({ questionId, optionId })).sort((a, b) => (a.questionId < b.questionId ? -1 : a.questionId > b.questionId ? 1 : 0));
}

export interface TasteScores {
  quizVersion: number;
  /** Per dimension, each value's share of that dimension's weight (0 to 1, four decimals). */
  dimensions: Record<TasteDimension, Record<string, number>>;
  /** Per dimension, the strongest value; absent when no answer touched the dimension. */
  top: Partial<Record<TasteDimension, string>>;
  /** Every value with a share of at least a third, strongest first, as `dimension:value`. */
  preferences: string[];
  answered: number;
}

const round4 = (value: number) => Math.round(value * 10_000) / 10_000;
const PREFERENCE_THRESHOLD = 1 / 3;

/** Scores valid answers (check them first with checkAnswers). */
export function scoreTaste(answers: readonly TasteAnswer[]): TasteScores {
  const raw = Object.fromEntries(TASTE_DIMENSIONS.map((dimension) => [dimension, Object.fromEntries(DIMENSION_VALUES[dimension].map((value) => [value, 0]))])) as Record<
    TasteDimension,
    Record<string, number>
  >;
  for (const answer of answers) {
    const option = QUIZ.find((question) => question.id === answer.questionId)?.options.find((candidate) => candidate.id === answer.optionId);
    if (!option) throw badRequest('invalid_answers', `Unknown answer ${answer.questionId}/${answer.optionId}.`);
    for (const dimension of TASTE_DIMENSIONS) {
      for (const [value, weight] of Object.entries(option.weights[dimension] ?? {})) raw[dimension][value] = (raw[dimension][value] ?? 0) + weight;
    }
  }
  const dimensions = {} as TasteScores['dimensions'];
  const top: TasteScores['top'] = {};
  const ranked: { key: string; share: number; order: number }[] = [];
  TASTE_DIMENSIONS.forEach((dimension, dimensionIndex) => {
    const values = DIMENSION_VALUES[dimension];
    const total = values.reduce((sum, value) => sum + (raw[dimension][value] ?? 0), 0);
    dimensions[dimension] = Object.fromEntries(values.map((value) => [value, total === 0 ? 0 : round4((raw[dimension][value] ?? 0) / total)]));
    if (total === 0) return;
    let best = values[0]!;
    for (const value of values) if ((raw[dimension][value] ?? 0) > (raw[dimension][best] ?? 0)) best = value;
    top[dimension] = best;
    values.forEach((value, valueIndex) => {
      const share = (raw[dimension][value] ?? 0) / total;
      if (share >= PREFERENCE_THRESHOLD) ranked.push({ key: `${dimension}:${value}`, share, order: dimensionIndex * 100 + valueIndex });
    });
  });
  ranked.sort((a, b) => b.share - a.share || a.order - b.order);
  return { quizVersion: QUIZ_VERSION, dimensions, top, preferences: ranked.map((entry) => entry.key), answered: answers.length };
}

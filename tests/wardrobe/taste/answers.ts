/** A known set of quiz answers, with exact expected scores in domain.test.ts. */
export const MINIMALIST = [
  { questionId: 'style-weekend', optionId: 'clean-basics' },
  { questionId: 'colour-palette', optionId: 'neutrals' },
  { questionId: 'fit-preference', optionId: 'oversized' },
  { questionId: 'formality-workday', optionId: 'knit-trousers' },
  { questionId: 'pattern-choice', optionId: 'no-print' },
  { questionId: 'shoes-everyday', optionId: 'white-sneakers' },
];

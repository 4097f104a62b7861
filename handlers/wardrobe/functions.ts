/**
 * The wardrobe service (PluckIt): media and metadata, items, chat with memory, moods, taste
 * calibration, digests and insights, and the product scraper. Each area owns its folder.
 */
import type { FunctionDef } from '../../kernel/functions.ts';
import { chatFunctions } from './chat/functions.ts';
import { digestFunctions } from './digest/functions.ts';
import { itemsFunctions } from './items/functions.ts';
import { mediaFunctions } from './media/functions.ts';
import { moodsFunctions } from './moods/functions.ts';
import { scraperFunctions } from './scraper/functions.ts';
import { tasteFunctions } from './taste/functions.ts';

export const wardrobeFunctions: readonly FunctionDef[] = [
  ...mediaFunctions,
  ...itemsFunctions,
  ...chatFunctions,
  ...moodsFunctions,
  ...tasteFunctions,
  ...digestFunctions,
  ...scraperFunctions,
];

/** The wardrobe's scraper routes and triggers. */
import type { FunctionDef } from '../../../app/define.ts';

export const scraperFunctions: readonly FunctionDef[] = [];

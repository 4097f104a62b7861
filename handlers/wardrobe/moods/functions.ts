/** The wardrobe's moods routes and triggers. */
import type { FunctionDef } from '../../../app/define.ts';

export const moodsFunctions: readonly FunctionDef[] = [];

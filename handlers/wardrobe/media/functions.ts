/** The wardrobe's media routes and triggers. */
import type { FunctionDef } from '../../../app/define.ts';

export const mediaFunctions: readonly FunctionDef[] = [];

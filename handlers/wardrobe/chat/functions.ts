/** The wardrobe's chat routes and triggers. */
import type { FunctionDef } from '../../../app/define.ts';

export const chatFunctions: readonly FunctionDef[] = [];

/** The wardrobe's digest routes and triggers. */
import type { FunctionDef } from '../../../app/define.ts';

export const digestFunctions: readonly FunctionDef[] = [];

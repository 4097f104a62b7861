/** The wardrobe's items routes and triggers. */
import type { FunctionDef } from '../../../app/define.ts';

export const itemsFunctions: readonly FunctionDef[] = [];

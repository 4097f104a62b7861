/** The wardrobe's taste routes and triggers. */
import type { FunctionDef } from '../../../app/define.ts';

export const tasteFunctions: readonly FunctionDef[] = [];

/**
 * The voice service's functions (seed 002, voice cloning): uploads and their blob-triggered
 * processing, enrollment and the training monitor, synthesis. Every route is a signed-in user's.
 */
import type { FunctionDef } from '../../kernel/functions.ts';

export const voiceFunctions: readonly FunctionDef[] = [];

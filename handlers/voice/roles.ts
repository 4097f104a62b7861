/**
 * The voice service's Entra ID app roles. A route names the roles that admit a caller (403
 * `missing_role` otherwise); Voice.Admin is admitted everywhere and reads other users' items.
 * Portico's own e-mail + PIN accounts hold PIN_USER_ROLES (default Voice.Enroll, Voice.Synthesize).
 */
import { missingRole } from '../../middleware/auth/roles.ts';
import type { PorticoContext, PorticoHttpEvent } from '../../middleware/context.ts';
import { ownerOf } from '../../middleware/resources.ts';

export const VOICE_ENROLL = 'Voice.Enroll';
export const VOICE_SYNTHESIZE = 'Voice.Synthesize';
export const VOICE_ADMIN = 'Voice.Admin';

/** Uploads, samples and enrollment. */
export const enrollRoles = [VOICE_ENROLL, VOICE_ADMIN] as const;
/** Syntheses and batches. */
export const synthesizeRoles = [VOICE_SYNTHESIZE, VOICE_ADMIN] as const;
/** Reading voices: whoever enrolls them or speaks with them. */
export const voiceReaderRoles = [VOICE_ENROLL, VOICE_SYNTHESIZE, VOICE_ADMIN] as const;
/** Operators' views across users. */
export const adminRoles = [VOICE_ADMIN] as const;

/** Who is reading: their own items always; anyone's with Voice.Admin. */
export interface Viewer {
  userId: string;
  admin: boolean;
}

export function viewerOf(context: PorticoContext): Viewer {
  return { userId: ownerOf(context), admin: context.principal?.roles.includes(VOICE_ADMIN) ?? false };
}

/** Whose items a list shows: the caller's, or with Voice.Admin anyone's (`?owner=<user id>`). */
export function listedOwner(event: Pick<PorticoHttpEvent, 'queryStringParameters'>, viewer: Viewer): string {
  const asked = event.queryStringParameters?.owner;
  if (asked === undefined || asked === viewer.userId) return viewer.userId;
  if (!viewer.admin) throw missingRole([VOICE_ADMIN]);
  return asked;
}

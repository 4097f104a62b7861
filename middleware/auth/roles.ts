/**
 * Roles on routes: a route that names roles admits a caller holding at least one of them, from
 * its token's `roles` claim (Entra ID app roles, or Portico's own tokens, which carry
 * PIN_USER_ROLES). Checked after authentication, so a caller without credentials is still 401.
 * ADMIN_USER_IDS grants no role, and no role makes anyone an admin: the two are independent.
 */
import { AppError } from '../../domain/errors.ts';
import type { Identity } from '../context.ts';

/** A role name as Entra ID writes app roles (`Voice.Enroll`): letters, digits, `.`, `_`, `-`. */
export const ROLE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$/;

export function missingRole(required: readonly string[]): AppError {
  return new AppError(403, 'missing_role', `This operation needs one of these roles: ${required.join(', ')}.`);
}

/** Throws 403 `missing_role` unless the caller holds one of `required` (an empty list requires none). */
export function requireRoles(principal: Pick<Identity, 'roles'>, required: readonly string[] | undefined): void {
  if (!required || required.length === 0) return;
  if (!principal.roles.some((role) => required.includes(role))) throw missingRole(required);
}

/** The profile and user routes (see functions.ts): thin HTTP shells over the profile service. */
import type { ProfileBody } from '../../../domain/wardrobe/profile.ts';
import type { Identity } from '../../../middleware/context.ts';
import { json, type PorticoHttpHandler } from '../../../middleware/http-stack.ts';
import { ownerOf } from '../../../middleware/resources.ts';
import { createProfileService, type ProfileDeps } from './service.ts';

/** GET /api/profile. */
export const getProfile = (deps: ProfileDeps): PorticoHttpHandler => {
  const service = createProfileService(deps);
  return async (_event, context) => json(200, await service.get(ownerOf(context)));
};

/** PUT /api/profile: 204. */
export const putProfile = (deps: ProfileDeps): PorticoHttpHandler<ProfileBody> => {
  const service = createProfileService(deps);
  return async (event, context) => {
    await service.put(ownerOf(context), event.json);
    return { statusCode: 204, headers: {}, body: '' };
  };
};

/** A display name, when the caller's sign-in carried one (a Google ID token's `name`). */
const displayNameOf = (principal: Identity & { displayName?: unknown; name?: unknown }): string | undefined =>
  [principal.displayName, principal.name].find((value): value is string => typeof value === 'string' && value.trim() !== '');

/** GET /api/user/me (the mobile app's profile screen). */
export const userMe = (deps: ProfileDeps): PorticoHttpHandler => {
  const service = createProfileService(deps);
  return async (_event, context) => {
    const userId = ownerOf(context);
    const principal = context.principal!;
    const displayName = displayNameOf(principal);
    return json(200, await service.me({ userId, ...(principal.email ? { email: principal.email } : {}), ...(displayName ? { displayName } : {}) }));
  };
};

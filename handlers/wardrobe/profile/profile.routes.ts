/** The profile and user routes (see functions.ts): thin HTTP shells over the profile service. */
import type { ProfileBody } from '../../../domain/wardrobe/profile.ts';
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

/** GET /api/user/me (the mobile app's profile screen). */
export const userMe = (deps: ProfileDeps): PorticoHttpHandler => {
  const service = createProfileService(deps);
  return async (_event, context) => {
    const userId = ownerOf(context);
    // The display name is the one the caller's sign-in carried (a Google ID token's `name`, kept
    // in the Portico tokens a Google sign-in is traded for); other sign-ins have none.
    const { email, name } = context.principal!;
    return json(200, await service.me({ userId, ...(email ? { email } : {}), ...(name ? { displayName: name } : {}) }));
  };
};

/** The wardrobe's profile routes (contract section 6.6) and the mobile app's GET /api/user/me. */
import { defineFunction, type FunctionDef } from '../../../kernel/functions.ts';
import { profileResponse, putProfileRequest, userMeResponse } from './schemas.ts';

const problem = { description: 'Problem details (application/problem+json)' };

export const getProfile = defineFunction({
  name: 'profile-get',
  trigger: {
    kind: 'http', method: 'GET', route: 'profile', auth: 'user',
    summary: "The caller's profile, or the default one (USD, US sizes, empty lists, opted in) when none is stored.",
    responses: { 200: { description: 'The profile', schema: profileResponse }, 401: problem },
  },
  handler: 'handlers/wardrobe/profile/profile.routes#getProfile',
});

export const putProfile = defineFunction({
  name: 'profile-put',
  trigger: {
    kind: 'http', method: 'PUT', route: 'profile', auth: 'user',
    summary: 'Replaces the editable fields (absent ones take their defaults); the id is the caller\'s and the server-maintained fields are kept.',
    request: { body: putProfileRequest },
    responses: { 204: { description: 'Saved' }, 400: { description: '`validation_failed` naming each bad field (measurements are numbers from 0, lists hold strings, currencyCode is ISO 4217)' }, 401: problem },
  },
  handler: 'handlers/wardrobe/profile/profile.routes#putProfile',
});

export const userMe = defineFunction({
  name: 'profile-user-me',
  trigger: {
    kind: 'http', method: 'GET', route: 'user/me', auth: 'user',
    summary: "Who the caller is (from the token) with their currency and the brands, colours and categories their finalised items use.",
    responses: { 200: { description: 'The identity card', schema: userMeResponse }, 401: problem },
  },
  handler: 'handlers/wardrobe/profile/profile.routes#userMe',
});

export const profileFunctions: readonly FunctionDef[] = [getProfile, putProfile, userMe];

/** The profile (GET/PUT) and the mobile app's identity card (GET /api/user/me). */
import { queryAll } from '../../../domain/documents.ts';
import { badRequest } from '../../../domain/errors.ts';
import type { Clock, Document, DocumentStore } from '../../../domain/ports.ts';
import type { StoredClothingItem } from '../../../domain/wardrobe/clothing-item.ts';
import { isKnownCurrency } from '../../../domain/wardrobe/item-rules.ts';
import { knownValues, replaceProfile, type ProfileBody, type UserProfile } from '../../../domain/wardrobe/profile.ts';
import { itemsContainer } from '../items/store.ts';
import { readProfile, replaceStoredProfile } from './store.ts';

export interface ProfileDeps {
  documents: DocumentStore;
  clock: Clock;
}

export interface UserMe {
  userId: string;
  email: string | null;
  displayName: string | null;
  currencyCode: string;
  knownBrands: string[];
  knownColors: string[];
  knownCategories: string[];
}

export function createProfileService(deps: ProfileDeps) {
  const items = deps.documents.repository<StoredClothingItem & Document>(itemsContainer);

  return {
    get: (userId: string): Promise<UserProfile> => readProfile(deps.documents, userId),

    async put(userId: string, body: ProfileBody): Promise<void> {
      if (body.currencyCode && !isKnownCurrency(body.currencyCode.toUpperCase())) {
        throw badRequest('validation_failed', 'Invalid profile: /body/currencyCode must be an ISO 4217 currency code.', [{ pointer: '/body/currencyCode', detail: 'must be an ISO 4217 currency code' }]);
      }
      await replaceStoredProfile(deps.documents, userId, (stored) => replaceProfile(stored, body, userId), deps.clock.now());
    },

    async me(caller: { userId: string; email?: string; displayName?: string }): Promise<UserMe> {
      const [profile, owned] = await Promise.all([readProfile(deps.documents, caller.userId), queryAll(items, { partitionKey: caller.userId })]);
      return { userId: caller.userId, email: caller.email ?? null, displayName: caller.displayName ?? null, currencyCode: profile.currencyCode, ...knownValues(owned) };
    },
  };
}

/**
 * The one profile document per user (`wardrobe-profiles`, partitioned by `userId`, id = the user
 * id): what GET/PUT /api/profile serve, and where the digest and the taste calibration read the
 * user's style preferences and write their server-maintained fields. Other areas use the
 * helpers below rather than the container, so a profile is always read with its defaults.
 */
import { readModifyWrite } from '../../../domain/documents.ts';
import type { ContainerSpec, Document, DocumentStore } from '../../../domain/ports.ts';
import { defaultProfile, type ServerProfileFields, type UserProfile } from '../../../domain/wardrobe/profile.ts';

export const profilesContainer: ContainerSpec = { name: 'wardrobe-profiles', partitionKey: 'userId' };

export type ProfileDoc = UserProfile & Document & { userId: string; updatedAt: string };

export const profileContainers: readonly ContainerSpec[] = [profilesContainer];

const repository = (documents: DocumentStore) => documents.repository<ProfileDoc>(profilesContainer);

/** The profile as clients see it (no storage fields), with defaults for anything never set. */
export function toProfile(doc: ProfileDoc | undefined, userId: string): UserProfile {
  if (!doc) return defaultProfile(userId);
  const { userId: _user, updatedAt: _updated, etag: _etag, expiresAt: _expires, ...profile } = doc as ProfileDoc & { etag?: string };
  return { ...defaultProfile(userId), ...profile, id: userId } as UserProfile;
}

/** The user's profile, or the default one when none is stored. */
export async function readProfile(documents: DocumentStore, userId: string): Promise<UserProfile> {
  return toProfile(await repository(documents).get(userId, userId), userId);
}

/** The currency the user chose (saved with PUT), or undefined when they never did. */
export async function chosenCurrency(documents: DocumentStore, userId: string): Promise<string | undefined> {
  return (await repository(documents).get(userId, userId))?.currencyCode;
}

/**
 * Writes server-maintained fields (the digest's hashes, the taste calibration's confidence
 * profile, the climate zone) without touching what the user edits. A profile created here holds
 * only these fields (reads fill in the defaults), so the editable ones stay unset until the user
 * saves them: `chosenCurrency` tells a chosen USD from the default. Retried on the ETag.
 */
export async function updateServerFields(documents: DocumentStore, userId: string, fields: ServerProfileFields, now: Date): Promise<UserProfile> {
  return (await changeServerFields(documents, userId, () => fields, now)).profile;
}

/**
 * The same, with the fields computed from the stored profile (re-run on every ETag retry, at
 * most `maxAttempts` writes); `change` answering undefined writes nothing. Throws the
 * `concurrent_update` AppError when every write lost its race.
 */
export async function changeServerFields(
  documents: DocumentStore,
  userId: string,
  change: (current: UserProfile) => ServerProfileFields | undefined,
  now: Date,
  maxAttempts?: number,
): Promise<{ profile: UserProfile; changed: boolean }> {
  let changed = false;
  const written = await readModifyWrite(
    repository(documents),
    userId,
    userId,
    (current) => {
      const fields = change(toProfile(current, userId));
      changed = fields !== undefined;
      if (!fields) return undefined;
      return { ...(current ?? ({ userId } as ProfileDoc)), ...fields, id: userId, userId, updatedAt: now.toISOString() };
    },
    maxAttempts,
  );
  return { profile: toProfile(written, userId), changed };
}

/** Replaces the profile with `next` (PUT), retried on the ETag; `next` gets the stored profile. */
export async function replaceStoredProfile(documents: DocumentStore, userId: string, next: (stored: UserProfile | undefined) => UserProfile, now: Date): Promise<void> {
  await readModifyWrite(repository(documents), userId, userId, (current) => ({ ...next(current ? toProfile(current, userId) : undefined), userId, updatedAt: now.toISOString() }));
}

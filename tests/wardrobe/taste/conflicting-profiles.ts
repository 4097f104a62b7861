/** A document store that makes profile writes lose their ETag race, for the retry and dead-letter tests. */
import { PreconditionFailedError } from '../../../domain/errors.ts';
import type { ContainerSpec, Document, DocumentRepository, DocumentStore } from '../../../domain/ports.ts';
import { profilesContainer } from '../../../handlers/wardrobe/profile/store.ts';

export /** The store as it is, except that a replace of a user profile answers 412 while `conflicts.on`. */
function conflictingProfiles(store: DocumentStore, conflicts: { on: boolean; replaces: number }): DocumentStore {
  return {
    ensure: (specs) => store.ensure(specs),
    repository<T extends Document>(spec: ContainerSpec): DocumentRepository<T> {
      const inner = store.repository<T>(spec);
      if (spec.name !== profilesContainer.name) return inner;
      return {
        get: (id, partitionKey) => inner.get(id, partitionKey),
        create: (document) => inner.create(document),
        upsert: (document) => inner.upsert(document),
        replace: async (document, ifMatch) => {
          if (!conflicts.on) return inner.replace(document, ifMatch);
          conflicts.replaces++;
          throw new PreconditionFailedError();
        },
        delete: (id, partitionKey, ifMatch) => inner.delete(id, partitionKey, ifMatch),
        query: (query) => inner.query(query),
        purgeExpired: (max) => inner.purgeExpired(max),
      };
    },
  };
}

/** A DocumentStore that can be switched off: every repository call then fails as an unreachable Cosmos account would. */
import { StoreUnavailableError } from '../../domain/errors.ts';
import type { ContainerSpec, Document, DocumentRepository, DocumentStore } from '../../domain/ports.ts';

export function switchable(inner: DocumentStore) {
  const state = { down: false };
  const store: DocumentStore = {
    ensure: (specs) => inner.ensure(specs),
    repository: <T extends Document>(spec: ContainerSpec): DocumentRepository<T> => {
      const repository = inner.repository<T>(spec);
      return new Proxy(repository, {
        get(target, property, receiver) {
          const value = Reflect.get(target, property, receiver) as unknown;
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => (state.down ? Promise.reject(new StoreUnavailableError(7)) : (value as (...a: unknown[]) => unknown).apply(target, args));
        },
      });
    },
  };
  return { store, state };
}

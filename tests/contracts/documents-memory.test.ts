/** The DocumentRepository contract against the in-memory store, on a controllable clock. */
import { MemoryDocumentStore } from '../../adapters/memory/documents.ts';
import { describeDocumentRepositoryContract } from './document-repository.contract.ts';

describeDocumentRepositoryContract('memory', async () => {
  let now = Date.now();
  const clock = { now: () => new Date(now), advance: (ms: number) => void (now += ms) };
  return { store: new MemoryDocumentStore(clock), clock, teardown: async () => undefined };
});

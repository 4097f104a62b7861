/**
 * Memory ports that note every write, so a test can say "nothing was stored": the document
 * store's create/upsert/replace/delete/patch, the blob store's put/delete, the queue's send.
 * Reads pass through untouched.
 */
import { MemoryBlobStore } from '../../../adapters/memory/blobs.ts';
import { MemoryDocumentStore } from '../../../adapters/memory/documents.ts';
import { MemoryMessageQueue } from '../../../adapters/memory/message-queue.ts';
import type { BlobStore, Clock, ContainerSpec, Document, DocumentRepository, DocumentStore, MessageQueue } from '../../../domain/ports.ts';

const DOCUMENT_WRITES = new Set(['create', 'upsert', 'replace', 'delete', 'patch']);

function noting<T extends object>(target: T, writes: ReadonlySet<string>, note: (method: string) => void): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (writes.has(String(property))) note(String(property));
        return (value as (...a: unknown[]) => unknown).apply(object, args);
      };
    },
  });
}

export interface RecordingPorts {
  documents: DocumentStore;
  blobs: BlobStore;
  queue: MessageQueue;
  /** Writes since the last `reset()`, as `<container or port>.<method>`. */
  writes: string[];
  reset(): void;
}

export function recordingPorts(clock: Clock): RecordingPorts {
  const writes: string[] = [];
  const store = new MemoryDocumentStore(clock);
  const documents: DocumentStore = {
    ensure: (specs) => store.ensure(specs),
    repository: <T extends Document>(spec: ContainerSpec): DocumentRepository<T> =>
      noting(store.repository<T>(spec), DOCUMENT_WRITES, (method) => writes.push(`${spec.name}.${method}`)),
  };
  const blobs = noting<BlobStore>(new MemoryBlobStore({ clock }), new Set(['put', 'delete']), (method) => writes.push(`blobs.${method}`));
  const queue = noting<MessageQueue>(new MemoryMessageQueue({ clock }), new Set(['send']), (method) => writes.push(`queue.${method}`));
  return { documents, blobs, queue, writes, reset: () => void (writes.length = 0) };
}

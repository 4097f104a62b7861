/** A migrator on memory ports, and a way to read a container back whole (tests hold a handful of documents). */
import { MemoryDocumentStore } from '../../adapters/memory/documents.ts';
import { createMigrator, type MigratorOptions } from '../../app/migrations.ts';
import type { ContainerSpec, Document, DocumentStore } from '../../domain/ports.ts';
import { captureLogger } from '../support/platform.ts';
import { testClock } from '../support/jobs.ts';

export function memoryMigrator(options: Pick<MigratorOptions, 'services'> & Partial<MigratorOptions>) {
  const clock = testClock();
  const documents = options.documents ?? new MemoryDocumentStore(clock);
  const migrator = createMigrator({ documents, logger: captureLogger().logger, clock, pageSize: 2, ...options });
  return { documents, clock, migrator };
}

/** Every document of a container, without ETags, by id. */
export async function contents(documents: DocumentStore, container: ContainerSpec): Promise<Document[]> {
  const { items } = await documents.repository(container).query({ limit: 1000 });
  return items.map(({ etag: _etag, ...document }) => document as Document).sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * A schema migration: one revision of a service's documents, kept as a module in
 * `handlers/<service>/migrations/` and listed, oldest first, in the service's manifest.
 * `npm run migrate` (scripts/migrate.ts) applies them in order and records each in a ledger.
 */
import type { Logger } from 'pino';
import type { Clock, Document, DocumentStore } from '../domain/ports.ts';

export interface MigrationContext {
  /** The store to rewrite; in a dry run its writes are counted and dropped. */
  documents: DocumentStore;
  log: Logger;
  clock: Clock;
  /** How many documents a query asks for at once: a migration pages, it never loads a whole container. */
  pageSize: number;
}

/** How a read brings a document of one container from version `from` to `from + 1`, in memory. */
export interface DocumentUpgrade {
  from: number;
  upgrade(document: Document): Document;
}

export interface Migration {
  /** Ordered within its service: `0002-vehicle-mods` comes after `0001-initial`. */
  id: string;
  description: string;
  /** The module's own URL (`import.meta.url`): the ledger keeps a checksum of its source. */
  source: string;
  up(context: MigrationContext): Promise<void>;
  /** Restores the previous shape. */
  down(context: MigrationContext): Promise<void>;
  /** By container name: the in-memory upgrade a read applies to a document one version behind. */
  reads?: Readonly<Record<string, DocumentUpgrade>>;
}

export const defineMigration = (migration: Migration): Migration => migration;

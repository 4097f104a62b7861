/**
 * The garage's documents (Axly), every one partitioned by its owner's user id, so another
 * user's id finds nothing: 404, never 403. Each carries a `schemaVersion`; the migrations in
 * `migrations/` move stored documents between versions, and `upgrades.ts` lets a read accept a
 * document one version behind (a deployment runs new code before `npm run migrate -- up`).
 */
import type { ReminderSchedule } from '../../domain/garage/reminders.ts';
import type { ContainerSpec, Document, DocumentRepository, DocumentStore, Stored } from '../../domain/ports.ts';
import { upgradeOnRead } from './upgrades.ts';

export {
  SCHEMA_VERSIONS,
  conversationsContainer,
  garageContainers,
  messagesContainer,
  modsContainer,
  remindersContainer,
  servicesContainer,
  vehiclesContainer,
} from './containers.ts';


export interface Owned extends Document {
  userId: string;
  schemaVersion: number;
  createdAt: string;
  updatedAt: string;
}

export interface VehicleImageRef {
  blobName: string;
  contentType: string;
  bytes: number;
  width: number;
  height: number;
  uploadedAt: string;
}

export interface VehicleDoc extends Owned {
  make: string;
  model: string;
  /** A string, as the upstream stored it (TEXT): "1998". */
  year: string;
  trim: string | null;
  /** Stored as sent (trimmed); unique per user by its upper-case form, `vinKey`. */
  vin: string | null;
  vinKey: string | null;
  mileage: number | null;
  nickname: string | null;
  image: VehicleImageRef | null;
}

export interface ModDoc extends Owned {
  vehicleId: string;
  name: string;
  description: string;
  /** YYYY-MM-DD or null. */
  installedOn: string | null;
}

export interface ServiceRecordDoc extends Owned {
  vehicleId: string;
  name: string;
  description: string;
  performedOn: string | null;
  odometerMiles: number | null;
  costCents: number | null;
  currency: string;
}

/** The schedule fields are the domain's (domain/garage/reminders.ts), which decides when it is due. */
export interface ReminderDoc extends Owned, ReminderSchedule {
  vehicleId: string;
  name: string;
  notes: string;
  /** When the daily timer found it due; null while it is not. */
  dueSince: string | null;
  /** When its owner was e-mailed about this due date (once per due period). */
  lastNotifiedAt: string | null;
  /**
   * Where the daily timer e-mails its owner: the signed-in caller's e-mail (the token's `email`
   * claim) at the reminder's last write; absent or null when the token carried none.
   */
  ownerEmail?: string | null;
}

export interface ConversationDoc extends Owned {
  /** Null when the vehicle was deleted (unlinked, as the upstream's foreign key did), or for a legacy session. */
  vehicleId: string | null;
  title: string;
  messageCount: number;
  /** `v2` or `legacy`: which diagnose route started it. */
  route: 'v2' | 'legacy';
}

export interface AttachmentInfo {
  kind: 'image' | 'audio';
  contentType: string;
  bytes: number;
  /** Audio only. */
  durationSeconds?: number | null;
}

export interface MessageDoc extends Owned {
  conversationId: string;
  sender: 'user' | 'ai';
  text: string;
  /** What was attached (kind, type, size), never the bytes. */
  attachments: AttachmentInfo[];
  /** The audio's transcript, when audio was attached. */
  transcript: string | null;
}

/**
 * A container's repository whose reads pass through `upgradeOnRead` (upgrades.ts): a document one
 * schema version behind comes back in the current shape. Every garage module reads through this.
 */
export function garageRepository<T extends Owned>(documents: DocumentStore, container: ContainerSpec): DocumentRepository<T> {
  const repository = documents.repository<T>(container);
  const current = (document: Stored<T>): Stored<T> => upgradeOnRead(container.name, document) as Stored<T>;
  return {
    get: async (id, partitionKey) => {
      const document = await repository.get(id, partitionKey);
      return document && current(document);
    },
    query: async (spec) => {
      const page = await repository.query(spec);
      return { ...page, items: page.items.map(current) };
    },
    create: (document) => repository.create(document),
    upsert: (document) => repository.upsert(document),
    replace: (document, ifMatch) => repository.replace(document, ifMatch),
    delete: (id, partitionKey, ifMatch) => repository.delete(id, partitionKey, ifMatch),
    purgeExpired: (max) => repository.purgeExpired(max),
  };
}

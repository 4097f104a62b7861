/**
 * The development outbox: an EmailSender that keeps mail in memory instead of sending it, so a
 * fresh checkout can sign up without a mail provider. The local host serves it at
 * GET /api/dev/outbox. The log line names a redacted address and never the text (it holds PINs).
 */
import type { EmailMessage, EmailSender } from '../../domain/email.ts';
import { normalizeEmail, redactEmail } from '../../domain/identity.ts';
import type { Clock } from '../../domain/ports.ts';

export interface OutboxMessage extends EmailMessage {
  queuedAt: string;
}

export interface DevOutboxOptions {
  logger?: { info(fields: object, message: string): void };
  clock?: Clock;
  /** Messages kept per address (oldest dropped first). */
  perAddress?: number;
  /** Addresses kept (least recently written dropped first), so a long session cannot grow without bound. */
  maxAddresses?: number;
}

export class DevOutbox implements EmailSender {
  readonly #boxes = new Map<string, OutboxMessage[]>();
  readonly #logger: DevOutboxOptions['logger'];
  readonly #clock: Clock;
  readonly #perAddress: number;
  readonly #maxAddresses: number;

  constructor(options: DevOutboxOptions = {}) {
    this.#logger = options.logger;
    this.#clock = options.clock ?? { now: () => new Date() };
    this.#perAddress = options.perAddress ?? 20;
    this.#maxAddresses = options.maxAddresses ?? 1000;
  }

  async send(message: EmailMessage): Promise<void> {
    const key = keyOf(message.to);
    const box = this.#boxes.get(key) ?? [];
    // Re-inserting moves the address to the end of the Map's order: eviction is least recently written.
    this.#boxes.delete(key);
    box.push({ to: message.to, subject: message.subject, text: message.text, queuedAt: this.#clock.now().toISOString() });
    this.#boxes.set(key, box.slice(-this.#perAddress));
    while (this.#boxes.size > this.#maxAddresses) this.#boxes.delete(this.#boxes.keys().next().value as string);
    this.#logger?.info({ to: redactEmail(key), subject: message.subject }, `email queued for ${redactEmail(key)}`);
  }

  /** The messages for an address, oldest first (copies). */
  messages(address: string): OutboxMessage[] {
    return (this.#boxes.get(keyOf(address)) ?? []).map((message) => ({ ...message }));
  }

  /** The newest message for an address. */
  latest(address: string): OutboxMessage | undefined {
    return this.#boxes.get(keyOf(address))?.at(-1);
  }

  clear(): void {
    this.#boxes.clear();
  }
}

const keyOf = (address: string) => normalizeEmail(address) ?? address.trim().toLowerCase();

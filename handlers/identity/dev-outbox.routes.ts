/** GET /api/dev/outbox?email=: the development outbox for one address. Local host only (localOnly). */
import type { EmailMessage, EmailSender } from '../../domain/email.ts';
import { notFound } from '../../domain/errors.ts';
import { json, type PorticoHttpHandler } from '../../middleware/http-stack.ts';

export interface DevOutboxRoutesDeps {
  /** Where the service's mail goes: SendGrid, or the development outbox itself. */
  email: EmailSender;
  /** The process-wide development outbox. */
  devOutbox: EmailSender & { messages(address: string): readonly (EmailMessage & { queuedAt: string })[] };
}

export const devOutbox = (deps: DevOutboxRoutesDeps): PorticoHttpHandler => {
  // When mail really goes out (SendGrid), the outbox holds nothing worth showing.
  const outbox = deps.email === deps.devOutbox ? deps.devOutbox : undefined;
  return async (event) => {
    if (!outbox) throw notFound('Mail is sent through SendGrid; there is no development outbox.');
    const email = event.queryStringParameters?.email ?? '';
    return json(200, { messages: outbox.messages(email) });
  };
};

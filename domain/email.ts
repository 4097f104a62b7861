/** The e-mail port: how a service sends a transactional message, whatever the provider. */

export interface EmailMessage {
  /** One recipient address, already normalised. */
  to: string;
  subject: string;
  /** Plain text only: no templates, no tracking pixels. */
  text: string;
}

export interface EmailSender {
  /** Resolves once the provider has accepted the message; fails with AppError 503 `email_unavailable` otherwise. */
  send(message: EmailMessage): Promise<void>;
}

/** A sender as configured (EMAIL_FROM): `Name <addr>` or a bare `addr`. */
export function parseFrom(from: string): { email: string; name?: string } {
  const match = /^\s*(.*?)\s*<([^<>]+)>\s*$/.exec(from);
  if (!match) return { email: from.trim() };
  const name = match[1]?.replace(/^"|"$/g, '').trim();
  return { email: (match[2] ?? '').trim(), ...(name ? { name } : {}) };
}

/**
 * The accounts service's own composition: the pieces app/composition.ts does not build (yet).
 * Each is built once per cold start, on first use.
 */
import { getAuth, getLogger } from '../../app/composition.ts';
import { DevOutbox } from '../../adapters/email/dev-outbox.ts';
import { SendGridEmailSender } from '../../adapters/email/sendgrid.ts';
import type { EmailSender } from '../../domain/email.ts';
import type { AccessTokenIssuer } from '../../domain/identity.ts';
import { loadIdentitySettings, type IdentitySettings } from './settings.ts';

function once<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => (built ??= { value: build() }).value;
}

export const getIdentitySettings = once((): IdentitySettings => loadIdentitySettings(process.env));

/** The token service; without JWT_SECRET it answers 503 `not_configured` when asked for a token. */
export const getAccessTokenIssuer = (): AccessTokenIssuer => getAuth().tokens;

/** The process-wide development outbox (also what GET /api/dev/outbox reads). */
export const getDevOutbox = once((): DevOutbox => new DevOutbox({ logger: getLogger() }));

/** SendGrid when SENDGRID_KEY is set, otherwise the development outbox (and a warning: nobody receives that mail). */
export const getEmailSender = once((): EmailSender => {
  const { sendgridKey, emailFrom } = getIdentitySettings();
  if (sendgridKey && emailFrom) return new SendGridEmailSender({ apiKey: sendgridKey, from: emailFrom, logger: getLogger() });
  getLogger().warn('SENDGRID_KEY is not set: e-mail goes to the in-memory development outbox, and nobody receives it');
  return getDevOutbox();
});

/**
 * SendGrid's v3 mail API over fetch (no SDK: one POST). Any failure, from a refused key to a
 * timeout, is an AppError 503 `email_unavailable`: the caller cannot fix it, and the body
 * never says why (the log line has the status). Neither the key nor the text is ever logged.
 */
import { parseFrom, type EmailMessage, type EmailSender } from '../../domain/email.ts';
import { AppError } from '../../domain/errors.ts';
import { redactEmail } from '../../domain/identity.ts';

export interface SendGridOptions {
  apiKey: string;
  /** EMAIL_FROM: `no-reply@example.com` or `Portico <no-reply@example.com>`. */
  from: string;
  /** For tests against a local server; default https://api.sendgrid.com. */
  baseUrl?: string;
  timeoutMs?: number;
  logger?: { warn(fields: object, message: string): void };
  fetch?: typeof fetch;
}

const DEFAULT_BASE_URL = 'https://api.sendgrid.com';
const DEFAULT_RETRY_AFTER_SECONDS = 30;

export class SendGridEmailSender implements EmailSender {
  readonly #options: SendGridOptions;
  readonly #url: string;
  readonly #from: { email: string; name?: string };

  constructor(options: SendGridOptions) {
    this.#options = options;
    this.#url = new URL('/v3/mail/send', options.baseUrl ?? DEFAULT_BASE_URL).href;
    this.#from = parseFrom(options.from);
  }

  async send(message: EmailMessage): Promise<void> {
    const body = {
      personalizations: [{ to: [{ email: message.to }] }],
      from: this.#from,
      subject: message.subject,
      content: [{ type: 'text/plain', value: message.text }],
      // Transactional mail: links must not be rewritten, and no tracking pixel belongs in a PIN mail.
      tracking_settings: { click_tracking: { enable: false }, open_tracking: { enable: false } },
    };
    const doFetch = this.#options.fetch ?? fetch;
    let response: Response;
    try {
      response = await doFetch(this.#url, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.#options.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.#options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      this.#options.logger?.warn({ to: redactEmail(message.to), reason: error instanceof Error ? error.name : 'unknown' }, 'SendGrid unreachable');
      throw unavailable(DEFAULT_RETRY_AFTER_SECONDS);
    }
    // Drain the body either way so the connection can be reused; its content is not needed.
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) {
      this.#options.logger?.warn({ to: redactEmail(message.to), status: response.status }, 'SendGrid refused the message');
      const retryAfter = Number(response.headers.get('retry-after'));
      throw unavailable(Number.isInteger(retryAfter) && retryAfter > 0 ? retryAfter : DEFAULT_RETRY_AFTER_SECONDS);
    }
  }
}

const unavailable = (retryAfterSeconds: number) =>
  new AppError(503, 'email_unavailable', 'The e-mail could not be sent; try again shortly.', { headers: { 'retry-after': String(retryAfterSeconds) } });

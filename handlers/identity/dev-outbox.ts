/** GET /api/dev/outbox?email=: the development outbox for one address. Local host only (localOnly). */
import type { HttpLambda } from '../../kernel/functions.ts';
import { getHttpPlatform } from '../../app/composition.ts';
import type { DevOutbox } from '../../adapters/email/dev-outbox.ts';
import { notFound } from '../../domain/errors.ts';
import { httpHandler, json, type HttpPlatform } from '../../middleware/http-stack.ts';
import { devOutbox } from './functions.ts';
import { getDevOutbox, getEmailSender } from './wiring.ts';

export interface DevOutboxDeps {
  platform: HttpPlatform;
  /** Undefined when mail really goes out (SendGrid): there is nothing to show. */
  outbox: Pick<DevOutbox, 'messages'> | undefined;
}

export function createHandler(deps: DevOutboxDeps): HttpLambda {
  return httpHandler(
    devOutbox,
    async (event) => {
      if (!deps.outbox) throw notFound('Mail is sent through SendGrid; there is no development outbox.');
      const email = event.queryStringParameters?.email ?? '';
      return json(200, { messages: deps.outbox.messages(email) });
    },
    deps.platform,
  );
}

export const handler: HttpLambda = createHandler({
  platform: getHttpPlatform(),
  outbox: getEmailSender() === getDevOutbox() ? getDevOutbox() : undefined,
});

import type { HttpLambda } from '../../kernel/functions.ts';
import { getHttpPlatform } from '../../app/composition.ts';
import { httpHandler, json, type HttpPlatform } from '../../middleware/http-stack.ts';
import { echo } from './functions.ts';

export interface EchoBody {
  message: string;
  tags?: string[];
}

export interface EchoDeps {
  platform: HttpPlatform;
  now: () => Date;
}

export function createHandler(deps: EchoDeps): HttpLambda {
  return httpHandler<EchoBody>(
    echo,
    async (event, context) =>
      json(200, {
        message: event.json.message,
        tags: event.json.tags ?? [],
        requestId: context.requestId,
        receivedAt: deps.now().toISOString(),
      }),
    deps.platform,
  );
}

export const handler: HttpLambda = createHandler({ platform: getHttpPlatform(), now: () => new Date() });

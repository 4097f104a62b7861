/** Dead-letter operations: list, replay, delete one, purge many. All admin-only (see functions.ts). */
import type { HttpLambda } from '../../kernel/functions.ts';
import { getHttpPlatform, getJobRuntimeDeps } from '../../app/composition.ts';
import { notFound } from '../../domain/errors.ts';
import { httpHandler, json, type HttpPlatform } from '../../middleware/http-stack.ts';
import { createDeadLetters, type DeadLetters } from '../../jobs/dead-letters.ts';
import { createJobClient } from '../../jobs/job-client.ts';
import type { JobRuntimeDeps } from '../../jobs/runtime-deps.ts';
import { deleteDeadLetter, listDeadLetters, purgeDeadLetters, replayDeadLetter } from './functions.ts';

export interface DeadLetterDeps {
  platform: HttpPlatform;
  deadLetters: DeadLetters;
}

const idOf = (event: { pathParameters?: Record<string, string | undefined> }) => event.pathParameters?.id ?? '';

export function createHandlers(deps: DeadLetterDeps): Record<'list' | 'replay' | 'remove' | 'purge', HttpLambda> {
  return {
    list: httpHandler(
      listDeadLetters,
      async (event) => {
        const query = event.queryStringParameters as unknown as { limit: number; continuation?: string; type?: string };
        const page = await deps.deadLetters.list({ limit: Number(query.limit), ...(query.continuation ? { continuation: query.continuation } : {}), ...(query.type ? { type: query.type } : {}) });
        return json(200, page);
      },
      deps.platform,
    ),
    replay: httpHandler(replayDeadLetter, async (event) => json(202, await deps.deadLetters.replay(idOf(event))), deps.platform),
    remove: httpHandler(
      deleteDeadLetter,
      async (event) => {
        if (!(await deps.deadLetters.purge(idOf(event)))) throw notFound(`No dead letter ${idOf(event)}.`);
        return { statusCode: 204, headers: {}, body: '' };
      },
      deps.platform,
    ),
    purge: httpHandler<{ type?: string; before?: string; max: number }>(
      purgeDeadLetters,
      async (event) => json(200, await deps.deadLetters.purgeMany(event.json)),
      deps.platform,
    ),
  };
}

export function deadLettersFrom(runtime: JobRuntimeDeps): DeadLetters {
  return createDeadLetters(runtime, createJobClient(runtime));
}

const handlers = createHandlers({ platform: getHttpPlatform(), deadLetters: deadLettersFrom(getJobRuntimeDeps()) });
export const { list, replay, remove, purge } = handlers;

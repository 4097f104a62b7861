/**
 * Registers the function table with the Functions Framework: every function under its own name
 * (its `--entry-point` when deployed), plus the two targets `npm run start:gcp` serves, `portico`
 * (every HTTP route) and `portico-events` (every CloudEvent). Handlers are bound (built from their
 * factories) on first use, not at registration.
 */
import type * as functionsFramework from '@google-cloud/functions-framework';
import type { AnyHandler, FunctionDef, HttpLambda, HttpTrigger } from '../../kernel/functions.ts';
import { isHttp } from '../../kernel/functions.ts';
import type { Logger } from '../../middleware/logger.ts';
import { AppError } from '../../domain/errors.ts';
import { hostSettings } from '../azure/host-settings.ts';
import { problemResponse } from '../../middleware/problem-errors.ts';
import { gcpEventFunction } from './events.ts';
import { answerFrameworkErrorsWith } from './framework-errors.ts';
import { executionIdOf, gcpHttpFunction, writeResult } from './http.ts';
import { EVENTS_TARGET, HTTP_TARGET } from './names.ts';

type Registry = Pick<typeof functionsFramework, 'http' | 'cloudEvent'>;

/** What registration needs of the composition root (app/app.ts): the table, `bind` and a logger. */
export interface GcpBindable {
  functions: readonly FunctionDef[];
  bind(def: FunctionDef): Promise<AnyHandler>;
  logger?: Logger;
}

export function registerGcpFunctions(registry: Registry, portico: GcpBindable, options: { includeLocalOnly?: boolean } = {}): void {
  // Development aids never reach a cloud; a local host serves them.
  const table = portico.functions.filter((def) => options.includeLocalOnly || !def.localOnly);
  const host = hostSettings(); // read once, not once per function: registration is on the cold start
  const http = { handlerOf: (def: FunctionDef<HttpTrigger>) => portico.bind(def) as Promise<HttpLambda>, logger: portico.logger, host };
  const events = { handlerOf: (def: FunctionDef) => portico.bind(def), logger: portico.logger, host };
  const httpFunctions = new Map<string, ReturnType<typeof gcpHttpFunction>>();
  for (const def of table) {
    if (isHttp(def)) {
      httpFunctions.set(def.name, gcpHttpFunction([def], http));
      registry.http(def.name, httpFunctions.get(def.name)!);
    } else registry.cloudEvent(def.name, gcpEventFunction([def], events));
  }
  httpFunctions.set(HTTP_TARGET, gcpHttpFunction(table.filter(isHttp), http));
  registry.http(HTTP_TARGET, httpFunctions.get(HTTP_TARGET)!);
  registry.cloudEvent(EVENTS_TARGET, gcpEventFunction(table.filter((def) => !isHttp(def)), events));
  // A body the framework cannot parse goes to the function this instance serves (the framework's
  // FUNCTION_TARGET; `portico` under start:gcp); an event function has no route to answer it.
  const target = process.env.FUNCTION_TARGET ?? HTTP_TARGET;
  answerFrameworkErrorsWith(
    httpFunctions.get(target) ??
      ((req, res) => writeResult(res, problemResponse(new AppError(400, 'malformed_event', 'The request body could not be parsed.'), executionIdOf(req), req.path))),
  );
}

/**
 * The Functions Framework parses every request body before the function runs (Express's body
 * parsers), and a body it cannot parse never reaches the function: Express answers it with an
 * HTML 400 (or 413, 415) after logging the whole error, the request body included. Portico's
 * contract is problem+json with a stable code and the request id, and no bodies in logs, so such a
 * request is handed to the function anyway: `verify` has already kept its bytes in `rawBody` (or
 * they are still in the stream), and Portico's own middleware answers it exactly as on Azure and AWS.
 *
 * The hook is Express's final handler: `app.handle(req, res, callback)` uses `callback` when one is
 * given, so the framework's application gets one. Express copies its prototype onto each app when
 * it is created, which the framework does after loading the function's module; this runs first.
 */
import type { Request, Response } from '@google-cloud/functions-framework';
import { createRequire } from 'node:module';

type Handle = (this: unknown, req: Request, res: Response, callback?: (error?: unknown) => void) => void;

interface ExpressModule {
  application: { handle: Handle };
}

let fallback: ((req: Request, res: Response) => Promise<void>) | undefined;

/** The express module the framework itself loads (resolved from its own folder, not ours). */
function frameworkExpress(): ExpressModule {
  const fromHere = createRequire(import.meta.url);
  const framework = fromHere.resolve('@google-cloud/functions-framework');
  return createRequire(framework)('express') as ExpressModule;
}

/**
 * Errors Express meets before the function (only the body parsers raise any) are answered by
 * `handler`, the HTTP function the framework serves. Installed once; the last handler wins.
 */
export function answerFrameworkErrorsWith(handler: (req: Request, res: Response) => Promise<void>): void {
  const first = fallback === undefined;
  fallback = handler;
  if (!first) return;
  const application = frameworkExpress().application;
  const handle = application.handle;
  application.handle = function (req, res, callback) {
    const done =
      callback ??
      ((error?: unknown) => {
        if (res.headersSent) return void res.end();
        // No error means no route matched, which the framework's catch-all route never allows.
        if (!error) return void res.sendStatus(404);
        void fallback!(req, res).catch(() => {
          if (!res.headersSent) res.sendStatus(400);
          else res.end();
        });
      });
    handle.call(this, req, res, done);
  };
}

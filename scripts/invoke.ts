/**
 * `npm run invoke -- <function> [--event file.json | --data '<json>'] [--sample]`: runs one
 * function of the table once, in this process, as Lambda would (like `serverless invoke local`),
 * and prints its result as JSON (a streamed body is read to its end and printed as text); with
 * --sample it prints the event it would send instead (tests/events/ holds real AWS ones).
 * Without --event it builds the event of the function's trigger, carrying --data (the HTTP
 * body, the SQS message body, the schedule's detail, or the S3 key). Logs go where the
 * app's logger sends them; set LOG_LEVEL=silent for the result alone.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Context } from 'aws-lambda';
import type { FunctionDef } from '../kernel/functions.ts';
import { portico } from '../app/index.ts';
import { hostSettings } from '../adapters/azure/host-settings.ts';
import { lambdaContext, sampleEvent } from '../adapters/aws/lambda-events.ts';
import { timeoutSeconds } from '../adapters/aws/serverless-config.ts';
import { isStreamingResult, type StreamingHttpResult } from '../middleware/sse.ts';

const USAGE = "usage: npm run invoke -- <function> [--event file.json | --data '<json>'] [--sample]";

class UsageError extends Error {}

function parse(argv: string[]): { def: FunctionDef; event?: string; data?: string; sample: boolean } {
  const { values, positionals } = parseArgs({ args: argv, options: { event: { type: 'string' }, data: { type: 'string' }, sample: { type: 'boolean' } }, allowPositionals: true });
  if (positionals.length !== 1) throw new UsageError(USAGE);
  if (values.event !== undefined && values.data !== undefined) throw new UsageError(`Give --event or --data, not both.\n${USAGE}`);
  const name = positionals[0]!;
  // Local-only functions too: this runs on the developer's machine, like the local host.
  const { functions } = portico();
  const def = functions.find((candidate) => candidate.name === name);
  if (!def) throw new UsageError(`Unknown function "${name}". Functions: ${functions.map((candidate) => candidate.name).join(', ')}.`);
  if (values.sample && values.event !== undefined) throw new UsageError(`--sample builds an event; it does not take --event.\n${USAGE}`);
  return { def, sample: Boolean(values.sample), ...(values.event === undefined ? {} : { event: values.event }), ...(values.data === undefined ? {} : { data: values.data }) };
}

/** A streamed answer as one result: what a client reading the stream to its end would see. */
async function readStreamed(result: StreamingHttpResult): Promise<Omit<StreamingHttpResult, 'body'> & { body: string }> {
  const decoder = new TextDecoder();
  let body = '';
  for await (const chunk of result.body) body += decoder.decode(chunk, { stream: true });
  return { ...result, body: body + decoder.decode() };
}

async function main(): Promise<number> {
  let def: FunctionDef, event: unknown;
  try {
    const args = parse(process.argv.slice(2));
    def = args.def;
    event = args.event === undefined ? sampleEvent(def, args.data) : JSON.parse(readFileSync(args.event, 'utf8'));
    if (args.sample) {
      process.stdout.write(`${JSON.stringify(event, null, 2)}\n`);
      return 0;
    }
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  // The timeout the deployed function gets: host.json's functionTimeout, or API Gateway's limit for HTTP.
  const context = lambdaContext(def, timeoutSeconds(def, hostSettings()) * 1000, event);
  try {
    // The event is whatever --event holds, so the handler is called untyped.
    const handler = (await portico().bind(def)) as (event: unknown, context: Context) => Promise<unknown>;
    const result = await handler(event, context);
    process.stdout.write(`${JSON.stringify(isStreamingResult(result) ? await readStreamed(result) : (result ?? null), null, 2)}\n`);
    return 0;
  } catch (error) {
    // The message only: a stack is noise here, and the handler's own logs carry the detail.
    process.stderr.write(`${def.name} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

process.exitCode = await main();
// Lambda freezes the process after the call; here SDK clients may hold sockets open. Give log
// transports a moment to flush, then leave.
setTimeout(() => process.exit(), 1000).unref();

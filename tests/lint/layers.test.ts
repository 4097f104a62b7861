/**
 * The layer rules of docs/architecture.md section 1 are enforced by the linter (eslint.config.js); prove the rules bite.
 *
 *   adapters/<runtime> -> app/ -> handlers/<service>/ -> middleware/, jobs/ -> kernel/ -> domain/
 *
 * SDK restrictions are no-restricted-imports; the arrows between layers (and between services) are the
 * local rule layers/boundaries, which resolves relative specifiers against the importing file.
 */
import { describe, expect, it } from '@jest/globals';
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';

const cwd = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd });

const SDK = 'no-restricted-imports';
const STORE_ADAPTER_DIRS = ['cosmos', 'memory', 'storage', 'ai', 'email', 'http', 'images', 'segmentation', 'telemetry', 'discovery'].map((d) => `adapters/${d}`);
const LAYERS = 'layers/boundaries';

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${cwd}/${filePath}` });
  return result!.messages.map((message) => message.ruleId ?? message.message);
}

/** Lints `code` (plus an export so the file is a module using nothing unused) as `filePath`. */
const lint = (code: string, filePath: string) => ruleIds(`${code}\nexport const x = 1;\n`, filePath);

describe('layer boundaries', () => {
  describe('domain/', () => {
    it.each([
      ["import { CosmosClient } from '@azure/cosmos';", 'an Azure SDK', SDK],
      ["import OpenAI from 'openai';", 'the OpenAI SDK', SDK],
      ["import { pino } from 'pino';", 'the logger', SDK],
      ["import { readFileSync } from 'node:fs';", 'a Node built-in', SDK],
      ["import { readFileSync } from 'fs';", 'a Node built-in without node:', SDK],
      ["import { jwtVerify } from 'jose';", 'jose', SDK],
      ["import { chunk } from 'lodash';", 'any other package', SDK],
      ["import { WritableStream } from 'htmlparser2/WritableStream';", "htmlparser2's stream entry (node:stream)", SDK],
      ["import { json } from '../middleware/http-stack.ts';", 'the middleware layer', LAYERS],
      ["import { registerFunctions } from '../../adapters/azure/register.ts';", 'an adapter', LAYERS],
      ["import { health } from '../handlers/system/functions.ts';", 'a handler', LAYERS],
      ["import { defineJob } from '../kernel/jobs.ts';", 'the kernel', LAYERS],
      ["import { createJobClient } from '../jobs/job-client.ts';", 'the job runtime', LAYERS],
      ["import type { Deps } from '../app/app.ts';", 'app (even as a type)', LAYERS],
      ["const load = () => import('../app/app.ts');\nexport { load };", 'app (lazily)', LAYERS],
    ])('may not import %s (%s)', async (code, _what, rule) => {
      expect(await lint(code, 'domain/sample.ts')).toContain(rule);
    });

    it('may import other domain modules', async () => {
      expect(await ruleIds("import { AppError } from './errors.ts';\nexport const x = AppError;\n", 'domain/sample.ts')).toEqual([]);
    });

    it('may import the pure parsers htmlparser2, entities and ipaddr.js, and nothing else from node_modules', async () => {
      const code = [
        "import { Parser } from 'htmlparser2';",
        "import { decodeHTML } from 'entities';",
        "import { decodeXML } from 'entities/decode';",
        "import ipaddr from 'ipaddr.js';",
        'export const x = [Parser, decodeHTML, decodeXML, ipaddr];',
      ].join('\n');
      expect(await ruleIds(code, 'domain/sample.ts')).toEqual([]);
    });
  });

  describe('kernel/', () => {
    it.each([
      ["import { json } from '../middleware/http-stack.ts';", 'middleware', LAYERS],
      ["import type { Logger } from '../middleware/logger.ts';", 'middleware (even as a type)', LAYERS],
      ["import { createJobClient } from '../jobs/job-client.ts';", 'the job runtime', LAYERS],
      ["import { health } from '../handlers/system/functions.ts';", 'a handler', LAYERS],
      ["import { createApp } from '../app/app.ts';", 'app', LAYERS],
      ["import { createMemoryDocuments } from '../adapters/memory/documents.ts';", 'an adapter', LAYERS],
      ["export * from '../middleware/http-stack.ts';", 'middleware (re-exported)', LAYERS],
      ["import { pino } from 'pino';", 'the logger at run time', SDK],
      ["import middy from '@middy/core';", 'an SDK', SDK],
      ["import { readFileSync } from 'node:fs';", 'a Node built-in', SDK],
    ])('may not import %s (%s)', async (code, _what, rule) => {
      expect(await lint(code, 'kernel/sample.ts')).toContain(rule);
    });

    it('may import the domain, itself, and the Lambda and logger types', async () => {
      const code = [
        "import type { APIGatewayProxyEventV2 } from 'aws-lambda';",
        "import type { Logger } from 'pino';",
        "import type { ContainerSpec } from '../domain/ports.ts';",
        "import { ConfigError } from './env.ts';",
        'export type X = [APIGatewayProxyEventV2, Logger, ContainerSpec];',
        'export const y = ConfigError;',
      ].join('\n');
      expect(await ruleIds(code, 'kernel/sample.ts')).toEqual([]);
    });
  });

  describe('middleware/', () => {
    it.each([
      ["import { createApp } from '../app/app.ts';", 'app'],
      ["import type { Deps } from '../../app/app.ts';", 'app from a subfolder, as a type'],
      ["import { health } from '../handlers/system/functions.ts';", 'a handler'],
      ["import { createJobClient } from '../jobs/job-client.ts';", 'the job runtime'],
      ["import { createMemoryDocuments } from '../adapters/memory/documents.ts';", 'a store adapter'],
      ["import { azureHttpHandler } from '../adapters/azure/http.ts';", 'a runtime adapter'],
    ])('may not import %s (%s)', async (code) => {
      const file = code.includes("'../../") ? 'middleware/auth/sample.ts' : 'middleware/sample.ts';
      expect(await lint(code, file)).toContain(LAYERS);
    });

    it('may import the kernel, the domain and SDKs', async () => {
      const code = [
        "import middy from '@middy/core';",
        "import type { HttpTrigger } from '../kernel/functions.ts';",
        "import { AppError } from '../domain/errors.ts';",
        "import { context } from './context.ts';",
        'export type X = HttpTrigger;',
        'export const y = [middy, AppError, context];',
      ].join('\n');
      expect(await ruleIds(code, 'middleware/sample.ts')).toEqual([]);
    });
  });

  describe('jobs/', () => {
    it.each([
      ["import { createApp } from '../app/app.ts';", 'app'],
      ["const load = () => import('../app/app.ts');\nexport { load };", 'app (lazily)'],
      ["import { health } from '../handlers/system/functions.ts';", 'a handler'],
      ["import { createMemoryDocuments } from '../adapters/memory/documents.ts';", 'an adapter'],
    ])('may not import %s (%s)', async (code) => {
      expect(await lint(code, 'jobs/sample.ts')).toContain(LAYERS);
    });

    it('may import middleware, the kernel and the domain', async () => {
      const code = [
        "import { validate } from '../middleware/validation.ts';",
        "import { defineJob } from '../kernel/jobs.ts';",
        "import { AppError } from '../domain/errors.ts';",
        "import { createJobClient } from './job-client.ts';",
        'export const y = [validate, defineJob, AppError, createJobClient];',
      ].join('\n');
      expect(await ruleIds(code, 'jobs/sample.ts')).toEqual([]);
    });
  });

  describe('handlers/', () => {
    it.each([
      ["import azf from '@azure/functions';", SDK],
      ["import { azureHttpHandler } from '../../adapters/azure/http.ts';", SDK],
    ])('may not import %s', async (code, rule) => {
      expect(await lint(code, 'handlers/system/sample.ts')).toContain(rule);
    });

    it.each([
      ["import { createApp } from '../../app/app.ts';", 'handlers/system/sample.ts', 'app'],
      ["import type { Deps } from '../../../app/app.ts';", 'handlers/wardrobe/items/sample.ts', 'app, as a type, from an area'],
      ["const load = () => import('../../app/app.ts');\nexport { load };", 'handlers/system/sample.ts', 'app, lazily'],
      ["export { createApp } from '../../app/app.ts';", 'handlers/system/sample.ts', 'app, re-exported'],
      ["import { createCosmosDocuments } from '../../adapters/cosmos/document-store.ts';", 'handlers/system/sample.ts', 'the Cosmos adapter'],
      ["import { createMemoryDocuments } from '../../../adapters/memory/documents.ts';", 'handlers/wardrobe/items/sample.ts', 'the memory adapter'],
      ["import { createSafeFetch } from '../../../adapters/http/safe-fetch.ts';", 'handlers/wardrobe/scraper/sample.ts', 'the page fetcher'],
      ["import { sharpImages } from '../../../adapters/images/sharp-images.ts';", 'handlers/wardrobe/media/sample.ts', 'the image adapter'],
      ["import { s3 } from '../../adapters/aws/s3-blob-store.ts';", 'handlers/system/sample.ts', 'an AWS store adapter'],
      ["import { tracing } from '../../adapters/telemetry/tracing.ts';", 'handlers/system/sample.ts', 'telemetry'],
      ["import { run } from '../../scripts/generate.ts';", 'handlers/system/sample.ts', 'a script'],
    ])('may not import %s (%s: %s)', async (code, file) => {
      expect(await lint(code, file)).toContain(LAYERS);
    });

    it.each([
      ["import { itemsStore } from '../../wardrobe/items/store.ts';", 'handlers/identity/routes/sample.ts'],
      ["import { itemsStore } from '../wardrobe/items/store.ts';", 'handlers/identity/sample.ts'],
      ["import { accounts } from '../../identity/store.ts';", 'handlers/wardrobe/items/sample.ts'],
      ["import wardrobe from '../wardrobe/index.ts';", 'handlers/system/sample.ts'],
      ["import type { Account } from '../../../handlers/identity/store.ts';", 'handlers/wardrobe/chat/sample.ts'],
      ["const load = () => import('../operations/functions.ts');\nexport { load };", 'handlers/system/sample.ts'],
      ["import { helper } from '../shared.ts';", 'handlers/system/sample.ts'],
      // A service that does not exist yet gets the rule too: nothing lists the services.
      ["import { x as y } from '../brand-new/x.ts';", 'handlers/system/sample.ts'],
    ])('one service may not import another: %s from %s', async (code, file) => {
      expect(await lint(code, file)).toContain(LAYERS);
    });

    it('may import its own service, the job runtime, middleware, the kernel and the domain', async () => {
      const code = [
        "import { json } from '../../../middleware/http-stack.ts';",
        "import { AppError } from '../../../domain/errors.ts';",
        "import { defineFunction } from '../../../kernel/functions.ts';",
        "import { oncePerSlot } from '../../../jobs/slots.ts';",
        "import { itemsStore } from '../items/store.ts';",
        "import { chatSettings } from '../chat/settings.ts';",
        "import { wardrobeSettings } from '../settings.ts';",
        "import { mine } from './store.ts';",
        'export const y = [json, AppError, defineFunction, oncePerSlot, itemsStore, chatSettings, wardrobeSettings, mine];',
      ].join('\n');
      expect(await ruleIds(code, 'handlers/wardrobe/taste/sample.ts')).toEqual([]);
    });
  });

  describe('store adapters (built only by app/ports.ts)', () => {
    it.each([
      ["import { createApp } from '../../app/app.ts';", 'adapters/cosmos/sample.ts', 'app'],
      ["import type { Ports } from '../../app/ports.ts';", 'adapters/memory/sample.ts', 'app, as a type'],
      ["import { health } from '../../handlers/system/functions.ts';", 'adapters/ai/sample.ts', 'a handler'],
      ["import { createJobClient } from '../../jobs/job-client.ts';", 'adapters/storage/sample.ts', 'the job runtime'],
      ["import { azureHttpHandler } from '../azure/http.ts';", 'adapters/telemetry/sample.ts', 'a runtime adapter'],
      ["import { sqsEvents } from '../aws/lambda-events.ts';", 'adapters/email/sample.ts', 'the AWS runtime'],
    ])('may not import %s (%s: %s)', async (code, file) => {
      expect(await lint(code, file)).toContain(LAYERS);
    });

    it('may import other store adapters, middleware, the kernel and the domain', async () => {
      const code = [
        "import { RetryableQueueError } from '../queue-errors.ts';",
        "import { blobStore } from '../storage/blob-store.ts';",
        "import type { Logger } from '../../middleware/logger.ts';",
        "import { text } from '../../kernel/env.ts';",
        "import { AppError } from '../../domain/errors.ts';",
        'export type L = Logger;',
        'export const y = [RetryableQueueError, blobStore, text, AppError];',
      ].join('\n');
      expect(await ruleIds(code, 'adapters/cosmos/sample.ts')).toEqual([]);
    });

    it('leave the runtime adapters unchecked: they sit above app/', async () => {
      expect(await lint("import { createApp } from '../../app/app.ts';\nexport const y = createApp;", 'adapters/azure/sample.ts')).toEqual([]);
    });
  });

  it('the tree as it stands is clean', async () => {
    const results = await eslint.lintFiles(['domain', 'kernel', 'middleware', 'jobs', 'handlers', ...STORE_ADAPTER_DIRS]);
    const problems = results.flatMap((result) =>
      result.messages.map((m) => `${result.filePath.slice(cwd.length)}:${m.line} ${m.ruleId ?? ''} ${m.message}`),
    );
    expect(problems).toEqual([]);
    // Linting the whole tree takes seconds alone and minutes on a loaded 2-core machine.
  }, 300_000);
});

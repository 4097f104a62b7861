/** The layer rules of DESIGN.md section 1 are enforced by the linter; prove the rules bite. */
import { describe, expect, it } from '@jest/globals';
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';

const cwd = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd });

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${cwd}/${filePath}` });
  return result!.messages.map((message) => message.ruleId ?? message.message);
}

describe('layer boundaries', () => {
  it.each([
    ["import { CosmosClient } from '@azure/cosmos';", 'an Azure SDK'],
    ["import OpenAI from 'openai';", 'the OpenAI SDK'],
    ["import { pino } from 'pino';", 'the logger'],
    ["import { readFileSync } from 'node:fs';", 'a Node built-in'],
    ["import { json } from '../middleware/http-stack.ts';", 'the middleware layer'],
    ["import { registerFunctions } from '../../adapters/azure/register.ts';", 'an adapter'],
    ["import { health } from '../handlers/system/functions.ts';", 'a handler'],
  ])('domain/ may not import %s (%s)', async (code) => {
    expect(await ruleIds(`${code}\nexport const x = 1;\n`, 'domain/sample.ts')).toContain('no-restricted-imports');
  });

  it('domain/ may import other domain modules', async () => {
    expect(await ruleIds("import { AppError } from './errors.ts';\nexport const x = AppError;\n", 'domain/sample.ts')).toEqual([]);
  });

  it.each([
    ["import azf from '@azure/functions';"],
    ["import { azureHttpHandler } from '../../adapters/azure/http.ts';"],
  ])('handlers/ may not import %s', async (code) => {
    expect(await ruleIds(`${code}\nexport const x = 1;\n`, 'handlers/system/sample.ts')).toContain('no-restricted-imports');
  });

  it('handlers/ may import the domain and middleware', async () => {
    const code = "import { json } from '../../middleware/http-stack.ts';\nimport { AppError } from '../../domain/errors.ts';\nexport const x = [json, AppError];\n";
    expect(await ruleIds(code, 'handlers/system/sample.ts')).toEqual([]);
  });

  it('the tree as committed is clean', async () => {
    const results = await eslint.lintFiles(['domain', 'handlers']);
    expect(results.flatMap((result) => result.messages.map((m) => `${result.filePath}: ${m.message}`))).toEqual([]);
  });
});

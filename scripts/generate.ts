/**
 * Writes every file generated from the function table (`npm run generate`): serverless.yml for
 * AWS and openapi.json, the API document. With --check it writes nothing and fails when a
 * committed file has drifted from the table (CI runs it).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { functions } from '../app/functions.ts';
import { openApiDocument } from '../app/openapi.ts';
import { version } from '../app/project.ts';
import { serverlessConfig } from '../adapters/aws/serverless-config.ts';
import { toYaml } from '../adapters/aws/yaml.ts';

const generated: Record<string, () => string> = {
  'serverless.yml': () => '# Generated from app/functions.ts by `npm run generate`. Do not edit by hand.\n' + toYaml(serverlessConfig(functions)),
  'openapi.json': () => JSON.stringify(openApiDocument(functions, { version }), null, 2) + '\n',
};

const check = process.argv.includes('--check');
let stale = 0;
for (const [file, render] of Object.entries(generated)) {
  const target = new URL(`../${file}`, import.meta.url);
  const text = render();
  if (!check) {
    writeFileSync(target, text);
    console.log(`wrote ${file}`);
    continue;
  }
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // A missing file is drift like any other.
  }
  if (current !== text) {
    console.error(`${file} is out of date with the function table: run \`npm run generate\`.`);
    stale++;
  }
}
if (stale) process.exit(1);

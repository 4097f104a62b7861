/**
 * Writes serverless.yml from the function table (`npm run generate`), or with --check fails
 * when the committed file has drifted from the table.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { functions } from '../app/functions.ts';
import { serverlessConfig } from '../adapters/aws/serverless-config.ts';
import { toYaml } from '../adapters/aws/yaml.ts';

const target = new URL('../serverless.yml', import.meta.url);
const header = '# Generated from app/functions.ts by `npm run generate`. Do not edit by hand.\n';
const text = header + toYaml(serverlessConfig(functions));

if (process.argv.includes('--check')) {
  if (readFileSync(target, 'utf8') !== text) {
    console.error('serverless.yml is out of date with the function table: run `npm run generate`.');
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
  console.log('wrote serverless.yml');
}

/**
 * Writes every file generated from the function table (`npm run generate`): serverless.yml for
 * AWS, each function's Lambda entry (adapters/aws/entries/), gcp/deploy.sh and gcp/api-gateway.json for Google Cloud and
 * openapi.json, the API document.
 * With --check it writes nothing and fails when a committed file has drifted from the table, or
 * an entry is left over from a function that no longer exists (CI runs it).
 */
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { functions, jobs } from '../app/functions.ts';
import { openApiDocument } from '../app/openapi.ts';
import { version } from '../app/project.ts';
import { services } from '../app/services.ts';
import { ENTRIES_FOLDER, entrySources } from '../adapters/aws/lambda-entries.ts';
import { serverlessConfig } from '../adapters/aws/serverless-config.ts';
import { toYaml } from '../adapters/aws/yaml.ts';
import { GCP_API_GATEWAY_SPEC, gcpApiGatewaySpec } from '../adapters/gcp/api-gateway.ts';
import { GCP_DEPLOY_SCRIPT, gcpDeployScript } from '../adapters/gcp/deploy-script.ts';

const generated = new Map<string, string>([
  ['serverless.yml', '# Generated from app/functions.ts by `npm run generate`. Do not edit by hand.\n' + toYaml(serverlessConfig(functions))],
  [GCP_DEPLOY_SCRIPT, gcpDeployScript(functions)],
  [GCP_API_GATEWAY_SPEC, JSON.stringify(gcpApiGatewaySpec(functions, version), null, 2) + '\n'],
  ['openapi.json', JSON.stringify(openApiDocument(functions, { version }), null, 2) + '\n'],
  ...entrySources(functions, services, jobs),
]);

const at = (file: string) => new URL(`../${file}`, import.meta.url);
const check = process.argv.includes('--check');
const leftOver = readdirSync(at(ENTRIES_FOLDER), { withFileTypes: true }).flatMap((entry) =>
  entry.isFile() && entry.name.endsWith('.ts') && !generated.has(`${ENTRIES_FOLDER}/${entry.name}`) ? [`${ENTRIES_FOLDER}/${entry.name}`] : [],
);
let stale = 0;
for (const file of leftOver) {
  if (check) {
    console.error(`${file} belongs to no function of the table: run \`npm run generate\`.`);
    stale++;
  } else {
    rmSync(at(file));
    console.log(`removed ${file}`);
  }
}
for (const [file, text] of generated) {
  let current = '';
  try {
    current = readFileSync(at(file), 'utf8');
  } catch {
    // A missing file is drift like any other.
  }
  if (current === text) continue;
  if (check) {
    console.error(`${file} is out of date with the function table: run \`npm run generate\`.`);
    stale++;
    continue;
  }
  mkdirSync(new URL('.', at(file)), { recursive: true });
  writeFileSync(at(file), text);
  if (file.endsWith('.sh')) chmodSync(at(file), 0o755);
  console.log(`wrote ${file}`);
}
if (stale) process.exit(1);

/**
 * `npm run package:gcp`, after the drift check and the build (package.json runs both first): stages
 * the deployable source into `.gcp/` (git-ignored) for gcp/deploy.sh, which uploads it once per function.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { STAGED_SOURCE } from '../adapters/gcp/deploy-script.ts';
import { stage } from '../adapters/gcp/staging.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
stage(root, join(root, STAGED_SOURCE));
console.log(`staged ${STAGED_SOURCE}/: run gcp/deploy.sh (PROJECT, BUCKET_PREFIX, REGION from the shell) to deploy it`);

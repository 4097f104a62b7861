/**
 * gcp/api-gateway.json, generated from the function table: the front door of a Google Cloud
 * deployment. Each HTTP function has a URL of its own there; API Gateway (an OpenAPI 2.0 config
 * with Google's `x-google-backend`) gives the API one base URL, routing each operation (method and
 * path) to its function, as API Gateway does on AWS and the Functions host does on Azure.
 *
 * - The backend is the function's `https://<region>-<project>.cloudfunctions.net/<name>` URL, with
 *   the request path appended (`APPEND_PATH_TO_ADDRESS`), so the function sees `/api/<route>`,
 *   which it matches itself (adapters/gcp/http.ts). `${REGION}` and `${PROJECT}` are filled in by
 *   gcp/deploy.sh.
 * - `disable_auth`: the functions are public and Portico authenticates every request itself; with
 *   backend auth on, the gateway would replace the caller's `Authorization` with its own token.
 * - `deadline` is the function's timeout (`gcpTimeoutSeconds`); the gateway's default is 15 s.
 * - `{proxy+}` (the CORS preflight's greedy route) is the path template `{proxy=**}`.
 */
import type { FunctionDef, HttpTrigger } from '../../kernel/functions.ts';
import { isHttp } from '../../kernel/functions.ts';
import type { HostSettings } from '../azure/host-settings.ts';
import { hostSettings } from '../azure/host-settings.ts';
import { gcpTimeoutSeconds } from './names.ts';

export const GCP_API_GATEWAY_SPEC = 'gcp/api-gateway.json';

/** The function's URL on Cloud Run functions, filled in by gcp/deploy.sh. */
export const backendAddress = (def: Pick<FunctionDef, 'name'>) => `https://\${REGION}-\${PROJECT}.cloudfunctions.net/${def.name}`;

/** `wardrobe/{id}` -> `/api/wardrobe/{id}`; a greedy `{proxy+}` -> `{proxy=**}`. */
export const gatewayPath = (route: string, prefix = 'api') => `/${prefix}/${route.replace(/\{([A-Za-z0-9_]+)\+\}/g, '{$1=**}')}`;

/** The path parameters a route declares, as OpenAPI 2.0 requires them listed. */
const pathParameters = (route: string) =>
  [...route.matchAll(/\{([A-Za-z0-9_]+)\+?\}/g)].map(([, name]) => ({ in: 'path', name: name!, required: true, type: 'string' }));

/** OpenAPI 2.0 operation ids: letters, digits and underscores. */
const operationId = (def: Pick<FunctionDef, 'name'>) => def.name.replace(/[^A-Za-z0-9_]/g, '_');

function operation(def: FunctionDef<HttpTrigger>, host: HostSettings) {
  const parameters = pathParameters(def.trigger.route);
  return {
    operationId: operationId(def),
    ...(def.trigger.summary ? { summary: def.trigger.summary } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    'x-google-backend': {
      address: backendAddress(def),
      path_translation: 'APPEND_PATH_TO_ADDRESS',
      deadline: gcpTimeoutSeconds(def, host),
      disable_auth: true,
    },
    responses: { default: { description: 'What the function answers (see openapi.json for the full API document).' } },
  };
}

export function gcpApiGatewaySpec(all: readonly FunctionDef[], version: string, host: HostSettings = hostSettings()): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const def of all.filter(isHttp)) {
    if (def.localOnly) continue; // development aids never reach a cloud
    const path = gatewayPath(def.trigger.route, host.routePrefix);
    (paths[path] ??= {})[def.trigger.method.toLowerCase()] = operation(def, host);
  }
  return {
    swagger: '2.0',
    info: { title: 'Portico', version, description: 'Generated from app/functions.ts by `npm run generate`. Do not edit by hand.' },
    schemes: ['https'],
    produces: ['application/json'],
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
  };
}

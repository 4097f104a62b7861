/** The system service: health, the API document and its reference page, CORS preflight, and the hourly purge of expired documents. */
import { defineFunction } from '../../kernel/functions.ts';
import { healthResponse } from './schemas.ts';

export const health = defineFunction({
  name: 'health',
  trigger: {
    kind: 'http',
    method: 'GET',
    route: 'health',
    auth: 'public',
    // Probes from load balancers and monitors must never be throttled.
    rateLimit: false,
    summary: "Service health with the status and latency of each dependency, the answering instance's resources (CPU load, memory, disk free on the data folder, uptime) and the depths of the queues services declare.",
    responses: {
      200: { description: 'Healthy', schema: healthResponse },
      503: { description: 'A dependency is down; the body names it', schema: healthResponse },
    },
  },
  handler: 'handlers/system/platform.routes#health',
});

export const preflight = defineFunction({
  name: 'cors-preflight',
  trigger: {
    kind: 'http',
    method: 'OPTIONS',
    route: '{proxy+}',
    auth: 'public',
    rateLimit: false,
    summary: 'CORS preflight for every route; allowed origins come from CORS_ALLOWED_ORIGINS.',
    responses: { 204: { description: 'Preflight answer' } },
  },
  handler: 'handlers/system/platform.routes#preflight',
});

export const openApi = defineFunction({
  name: 'openapi',
  trigger: {
    kind: 'http',
    method: 'GET',
    route: 'openapi.json',
    auth: 'public',
    summary: 'This API document (OpenAPI 3.1), generated from the function table.',
    responses: { 200: { description: 'The OpenAPI document' } },
  },
  handler: 'handlers/system/platform.routes#openApi',
});

const problem = { description: 'Problem details (application/problem+json)' };

export const docs = defineFunction({
  name: 'docs',
  trigger: {
    kind: 'http',
    method: 'GET',
    route: 'docs',
    auth: 'public',
    summary: 'The interactive API reference (Swagger UI) of /api/openapi.json, served by the app itself.',
    responses: { 200: { description: 'The HTML page; it loads only files of /api/docs/ and the API document' } },
  },
  handler: 'handlers/system/docs.routes#docsPage',
});

export const docsAsset = defineFunction({
  name: 'docs-asset',
  trigger: {
    kind: 'http',
    method: 'GET',
    route: 'docs/{file}',
    auth: 'public',
    summary: "A file of the API reference page: Swagger UI's swagger-ui.css and swagger-ui-bundle.js, and init.js.",
    responses: { 200: { description: 'The stylesheet or script' }, 404: problem },
  },
  handler: 'handlers/system/docs.routes#docsAsset',
});

/** Hourly: fans out one purge job per container (jobs are idempotent per container and slot). */
export const purgeExpired = defineFunction({
  name: 'purge-expired',
  trigger: { kind: 'timer', schedule: '0 0 * * * *' },
  handler: 'handlers/system/purge.timer#purgeExpired',
});

export const systemFunctions = [health, preflight, openApi, docs, docsAsset, purgeExpired];

/**
 * THE function table, as declared: every service's functions with their default names. The
 * generators (serverless.yml, openapi.json) and the docs read this, so what they write never
 * depends on the generator's environment. Running code uses `createApp(...).functions`, where a
 * deployment's renamed job queues are resolved.
 */
import { functionTable } from './app.ts';
import { services } from './services.ts';

export const { functions, jobs } = functionTable(services, {});

/**
 * The Azure Functions entry point (package.json "main" -> dist/adapters/azure/main.js).
 * Validates configuration first, so a bad setting stops the worker with a message naming it.
 */
import azf from '@azure/functions';
import { portico } from '../../app/index.ts';
import { logPendingMigrations } from '../../app/migrations.ts';
import { registerFunctions } from './register.ts';

const app = portico();
app.validate();
azf.app.setup({ enableHttpStream: true });
registerFunctions(azf.app, app);
// In the background: a cold start never waits for the ledger (and never fails on it).
if (app.config.cosmos) void logPendingMigrations(app);

/**
 * The Google Cloud entry point: the module the Functions Framework loads (the staged package's
 * "main", see `npm run package:gcp`). It validates configuration first, so a bad setting stops
 * the instance with a message naming it, then registers every function of the table.
 */
import * as functionsFramework from '@google-cloud/functions-framework';
import { portico } from '../../app/index.ts';
import { logPendingMigrations } from '../../app/migrations.ts';
import { registerGcpFunctions } from './register.ts';

const app = portico();
app.validate();
registerGcpFunctions(functionsFramework, { functions: app.functions, bind: app.bind, logger: app.ports.logger });
// In the background: a cold start never waits for the ledger (and never fails on it).
if (app.config.cosmos) void logPendingMigrations(app);

/**
 * The Azure Functions entry point (package.json "main" -> dist/adapters/azure/main.js).
 * Validates configuration first, so a bad setting stops the worker with a message naming it.
 */
import azf from '@azure/functions';
import { validateSettings } from '../../app/composition.ts';
import { functions } from '../../app/functions.ts';
import { registerFunctions } from './register.ts';

validateSettings();
azf.app.setup({ enableHttpStream: true });
registerFunctions(azf.app, functions);

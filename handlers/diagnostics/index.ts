/** The diagnostics service: echo, inspect, binary and streaming routes that prove the stack and every runtime's mapping. */
import { defineService } from '../../kernel/services.ts';
import { diagnosticsFunctions } from './functions.ts';

export default defineService({
  name: 'diagnostics',
  summary: 'Echo, inspect, binary and streaming routes that prove the HTTP stack and every runtime\'s mapping.',
  functions: diagnosticsFunctions,
});

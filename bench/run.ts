/** `npm run bench`: every benchmark, one after the other; each prints its headline last. */
import './env.ts';
import { runLocalHost } from './local-host.ts';
import { runStack } from './stack.ts';

await runStack();
await runLocalHost();

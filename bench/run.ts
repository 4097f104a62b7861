/**
 * `npm run bench`: every benchmark, one after the other; each prints its headline last.
 * bench/chaos.ts (the chaos proof at 10,000 jobs) takes minutes, so it runs on its own.
 */
import './env.ts';
import { runCallers } from './callers.ts';
import { runCapabilities } from './capabilities.ts';
import { runColdStart } from './cold-start.ts';
import { runDiscovery } from './discovery.ts';
import { runJobs } from './jobs.ts';
import { runLocalHost } from './local-host.ts';
import { runStack } from './stack.ts';
import { runVoice } from './voice.ts';

await runStack();
await runCallers();
await runLocalHost();
await runJobs();
await runDiscovery();
await runCapabilities();
await runVoice();
await runColdStart();

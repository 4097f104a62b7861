/**
 * Imported first by every benchmark: configuration is read once, on first use, so the
 * environment must be settled before any app module loads.
 */
// Without a storage connection the health check probes nothing, so no emulator is needed.
delete process.env.AzureWebJobsStorage;
process.env.LOG_LEVEL = 'silent';
// No pino-pretty transport: it would start a worker thread even at level silent.
process.env.LOG_PRETTY = 'false';
// The echo route counts against the default rate limit (100/min): a benchmark would time 429s.
process.env.RATE_LIMITING_ENABLED = 'false';

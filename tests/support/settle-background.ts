// The metrics SDK loads on a later task than the first recording (adapters/telemetry/lazy-metrics.ts).
// A test that records and ends at once would otherwise have Jest tear its modules down mid-import,
// which Jest reports as an error and which fails the run even when every test passed.
import { afterAll } from '@jest/globals';
import { metricsLoaded } from '../../adapters/telemetry/lazy-metrics.ts';

afterAll(() => metricsLoaded());

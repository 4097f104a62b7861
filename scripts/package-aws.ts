/**
 * `npm run package:aws`: `osls package` with a temporary folder of its own, removed when it ends.
 *
 * serverless-esbuild zips each function from a copy in `<tmpdir>/<function>-<pid>-<time>-<hex>`
 * and "removes" it with a non-recursive delete that fails silently, so every packaging left one
 * folder per function behind (tens of MB each; a day of test runs filled the disk). Pointing
 * TMPDIR at a folder this script owns keeps those copies in one place it always deletes, on
 * success, failure or a signal.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'portico-package-'));
const cli = join(root, 'node_modules/osls/bin/serverless.js');

const child = spawn(process.execPath, [cli, 'package', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, TMPDIR: scratch, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' },
});
// A stop asked of this script is passed on; the folder goes once the packager has ended.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('close', (code, signal) => {
  rmSync(scratch, { recursive: true, force: true });
  process.exitCode = code ?? (signal ? 1 : 0);
});

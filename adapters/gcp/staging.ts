/**
 * The source `gcloud functions deploy --source` uploads, staged by `npm run package:gcp` into `.gcp/`:
 * the compiled `dist/`, `config/`, host.json, .npmrc, the lock file and a package.json of its own.
 *
 * Cloud Build installs the dependencies from the lock file and the Functions Framework loads the
 * package's `main`, so the staged package.json names the registration module (the repository's
 * own `main` is Azure's), keeps the runtime dependencies and drops the devDependencies and the
 * scripts (a `build` or `gcp-build` there would make Cloud Build compile again, without TypeScript).
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The registration module: every table function registered with the Functions Framework under its name. */
export const GCP_MAIN = 'dist/adapters/gcp/main.js';

/**
 * Copied as they are. app/project.ts finds the project root as the folder holding host.json beside
 * package.json, and reads both at run time; the capability registry reads config/plugins.yaml
 * (CAPABILITIES_PLUGINS_FILE, relative to the working directory, which is the source's root on
 * Cloud Run) when settings are validated at start; .npmrc carries the install options the lock
 * was made with.
 */
const COPIED = ['dist', 'config', 'host.json', '.npmrc'] as const;

type PackageJson = Record<string, unknown> & { dependencies?: Record<string, string> };
type Lockfile = Record<string, unknown> & { packages?: Record<string, Record<string, unknown>> };

/** The repository's package.json, made the deployable one: `main` is the registration module, no dev side. */
export function stagedPackageJson(pkg: PackageJson): PackageJson {
  const { scripts: _scripts, devDependencies: _dev, allowScripts: _allow, main: _main, ...kept } = pkg;
  return { ...kept, main: GCP_MAIN };
}

/**
 * The lock file for the staged package.json: its root entry without devDependencies and without the
 * packages only they need (`dev: true`), so `npm ci` finds the two in sync and installs the same versions.
 */
export function stagedLockfile(lock: Lockfile, pkg: PackageJson): Lockfile {
  const packages = Object.entries(lock.packages ?? {}).filter(([, entry]) => entry.dev !== true);
  return {
    ...lock,
    packages: Object.fromEntries(
      packages.map(([path, entry]) => {
        if (path !== '') return [path, entry];
        const { devDependencies: _dev, ...root } = entry;
        return [path, { ...root, dependencies: pkg.dependencies ?? {} }];
      }),
    ),
  };
}

/** Writes `target` afresh from the built repository at `root`; fails when the build is missing its GCP entry. */
export function stage(root: string, target: string): void {
  if (!existsSync(join(root, GCP_MAIN))) throw new Error(`${GCP_MAIN} is missing: run \`npm run build\` (the Google Cloud adapter's registration module).`);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  for (const entry of COPIED) if (existsSync(join(root, entry))) cpSync(join(root, entry), join(target, entry), { recursive: true });
  const pkg = stagedPackageJson(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson);
  const lock = stagedLockfile(JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as Lockfile, pkg);
  writeFileSync(join(target, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
  writeFileSync(join(target, 'package-lock.json'), JSON.stringify(lock, null, 2) + '\n');
}

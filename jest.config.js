/** Native ESM Jest: TypeScript is compiled by SWC, modules stay ESM. */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2023', parser: { syntax: 'typescript' } }, module: { type: 'es6' } }],
  },
  moduleNameMapper: {
    // Outside the Functions host there is no @azure/functions-core; this stub records registrations.
    '^@azure/functions-core$': '<rootDir>/tests/support/functions-core-stub.cjs',
  },
  setupFiles: ['<rootDir>/tests/support/setup-env.ts'],
  setupFilesAfterEnv: ['<rootDir>/tests/support/settle-background.ts'],
  // A limit on a hang, not a timing: a loaded 2-core machine runs emulator-backed tests many times slower.
  testTimeout: 180_000,
  // Jest's default is one worker per core less one: a single worker on 2 cores, and the suites run
  // one after another while most of them wait on emulators and child processes. Two workers keep
  // both cores busy (the packaging suite alone is minutes of esbuild).
  maxWorkers: 2,
};

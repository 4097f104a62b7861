// Lint: typescript-eslint's recommended rules, plus the layer boundaries of DESIGN.md section 1.
import tseslint from 'typescript-eslint';

const SDKS = ['@azure/*', '@aws-sdk/*', 'aws-sdk', 'openai', 'jose', 'pino', 'pino-*', '@middy/*', 'ajv', 'ajv-*', 'node:*'];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '.serverless/', '.esbuild/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The domain is pure: no SDK, no platform, no other layer.
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: SDKS, message: 'domain/ is pure: no SDKs or Node built-ins. Put the dependency behind a port.' },
            {
              group: ['**/handlers/**', '**/middleware/**', '**/adapters/**', '**/app/**'],
              message: 'domain/ imports no other layer.',
            },
          ],
        },
      ],
    },
  },
  {
    // Handlers are provider-neutral: they never see Azure's types.
    files: ['handlers/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@azure/functions', '@azure/functions-core'], message: 'handlers/ are provider-neutral; only adapters/ know Azure Functions.' },
            { group: ['**/adapters/azure/**', '**/adapters/local/**'], message: 'handlers/ never import a runtime adapter.' },
          ],
        },
      ],
    },
  },
  {
    files: ['tests/**/*.cjs', 'tests/support/host-modules/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);

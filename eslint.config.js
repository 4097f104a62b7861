// Lint: typescript-eslint's recommended rules, plus the layer boundaries of docs/architecture.md section 1:
//
//   adapters/<runtime> -> app/ -> handlers/<service>/ -> middleware/, jobs/ -> kernel/ -> domain/
//
// Which SDKs a layer may use is checked by no-restricted-imports (it matches package names). Which
// layer may import which is checked by the local rule `layers/boundaries` below: it resolves every
// relative specifier against the importing file (so '../../wardrobe/items/store.ts' from
// handlers/identity/x.ts is known to be handlers/wardrobe/), and it sees `import()` and
// `export ... from` too, which no-restricted-imports does not. Type-only imports count: a layer
// that may not import a module may not import its types either. tests/lint/layers.test.ts proves
// every rule fires; tests/lint/import-graph.test.ts fails on any import cycle.
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';

/** The only packages domain/ may import (as regular expressions): pure parsers, see the domain/ rule below. */
const DOMAIN_PACKAGES = ['htmlparser2', 'entities', 'entities/decode', 'ipaddr\\.js'];

const ROOT = dirname(fileURLToPath(import.meta.url));

/**
 * What each layer may import, by top-level folder of the repository (a layer always includes itself).
 * A layer not listed here (app/, the runtime adapters, scripts/, bench/, tests/) is not checked by this rule.
 * handlers/ also: only its own service folder, never another's (see `boundaryViolation`).
 */
const MAY_IMPORT = {
  domain: ['domain'],
  kernel: ['kernel', 'domain'],
  middleware: ['middleware', 'kernel', 'domain'],
  jobs: ['jobs', 'middleware', 'kernel', 'domain'],
  handlers: ['handlers', 'jobs', 'middleware', 'kernel', 'domain'],
  'store adapters': ['adapters', 'middleware', 'kernel', 'domain'],
};

/**
 * The store adapters implement domain ports and are built only by app/ports.ts: they never import app/,
 * handlers/, jobs/ or a runtime adapter. (adapters/aws holds both kinds, so it is not checked.)
 */
const STORE_ADAPTERS = ['cosmos', 'memory', 'storage', 'ai', 'email', 'http', 'images', 'segmentation', 'telemetry', 'discovery', 'capabilities', 'media'];
const RUNTIME_ADAPTERS = ['azure', 'local', 'aws'];

/** The layer a file belongs to (a key of MAY_IMPORT), from its repository-relative path segments. */
const layerOf = (segments) =>
  segments[0] === 'adapters' ? (segments.length > 2 && STORE_ADAPTERS.includes(segments[1]) ? 'store adapters' : undefined) : segments[0];

/** Why an arrow is forbidden, for the arrows people actually try. */
const REASONS = {
  'handlers->app': 'a factory declares the narrow deps interface it uses; app/ passes its Deps in.',
  'handlers->adapters': 'only app/ports.ts builds adapters; take the port from deps.',
  'middleware->app': 'app/ composes middleware, not the other way round.',
  'middleware->jobs': 'the job runtime sits beside middleware; shared vocabulary lives in kernel/.',
  'jobs->app': 'app/ builds the job runtime; the runtime takes what it needs as deps.',
  'kernel->middleware': 'kernel/ is the vocabulary below middleware/; move the shared type down.',
  'kernel->jobs': 'kernel/ is the vocabulary below the job runtime; move the shared type down.',
  'store adapters->app': 'app/ builds the adapters; an adapter takes its settings as arguments.',
  'store adapters->adapters/runtime': 'a store adapter runs under every runtime; runtime code stays in adapters/azure, local, aws.',
};

/** The repository-relative path segments of `file`, or undefined outside the repository. */
function segmentsOf(file) {
  const path = relative(ROOT, file);
  if (path === '' || path.startsWith('..') || path.startsWith('/')) return undefined;
  return path.split(/[\\/]/);
}

/** The message for an import of `specifier` from `filename`, or undefined when the arrow is allowed. */
function boundaryViolation(filename, specifier) {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return undefined; // packages: no-restricted-imports
  const from = segmentsOf(filename);
  const source = from && layerOf(from);
  const allowed = source && MAY_IMPORT[source];
  if (!allowed) return undefined;
  const name = source === 'store adapters' ? `adapters/${from[1]}` : `${source}/`;
  const to = segmentsOf(resolve(dirname(filename), specifier));
  if (!to) return `${name} may not import '${specifier}', which is outside the repository.`;
  const layer = to.length > 1 ? to[0] : undefined; // undefined: a file at the repository root
  if (!layer || !allowed.includes(layer)) {
    const reason = REASONS[`${source}->${layer}`] ?? `${name} may import only ${allowed.map((l) => `${l}/`).join(', ')}.`;
    return `${name} may not import ${layer ? `${layer}/` : 'the repository root'} ('${specifier}'): ${reason}`;
  }
  if (source === 'store adapters' && to.length > 2 && RUNTIME_ADAPTERS.includes(to[1])) {
    return `${name} may not import adapters/${to[1]} ('${specifier}'): ${REASONS['store adapters->adapters/runtime']}`;
  }
  if (from[0] === 'handlers' && layer === 'handlers') {
    // A service is a folder handlers/<service>/; a file directly in handlers/ belongs to none.
    const service = (segments) => (segments.length > 2 ? segments[1] : `(${segments[1]})`);
    if (service(from) !== service(to)) {
      return `handlers/${from[1]} may not import handlers/${to[1]} ('${specifier}'): one service never imports another; move the shared code down to domain/, kernel/ or middleware/.`;
    }
  }
  return undefined;
}

const boundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports point down the layers (docs/architecture.md section 1) and never across services.' },
    schema: [],
  },
  create(context) {
    const check = (node) => {
      if (node?.type !== 'Literal' || typeof node.value !== 'string') return; // import(`${x}`) cannot be checked
      const message = boundaryViolation(context.filename, node.value);
      if (message) context.report({ node, message });
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => node.source && check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
      TSImportType: (node) => check(node.argument?.type === 'TSLiteralType' ? node.argument.literal : node.argument),
      TSExternalModuleReference: (node) => check(node.expression),
    };
  },
};

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '.serverless/', '.esbuild/'] },
  ...tseslint.configs.recommended,
  {
    plugins: { layers: { rules: { boundaries } } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'layers/boundaries': 'error',
    },
  },
  {
    // The domain is pure: no SDK, no platform (and, by layers/boundaries, no other layer). It may use
    // exactly these packages, pure parsers of text with no I/O, no Node built-in and no state, which
    // replaced hand-written code that got HTML and IP addresses wrong (issue 11): htmlparser2 and
    // entities for product pages, ipaddr.js for the SSRF rules and the limiter's address keys. Not
    // htmlparser2's stream entries, which use node:stream. Anything else goes behind a port.
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // Everything but a relative import and the listed packages: every SDK and Node built-in included.
              regex: `^(?!\\.{1,2}/|(${DOMAIN_PACKAGES.join('|')})$)`,
              message: `domain/ is pure: no SDKs, Node built-ins or packages but ${DOMAIN_PACKAGES.map((name) => name.replace(/\\/g, '')).join(', ')} (docs/architecture.md section 1). Put the dependency behind a port.`,
            },
          ],
        },
      ],
    },
  },
  {
    // The kernel is vocabulary: no SDK at run time. The Lambda event shapes and the logger's type are
    // part of that vocabulary, so 'aws-lambda' and 'pino' may be imported as types (and only as types).
    files: ['kernel/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(aws-lambda|pino)$', allowTypeImports: true, message: 'kernel/ may import this package only as types (import type).' },
            { regex: '^(?!\\.{1,2}/|aws-lambda$|pino$)', message: 'kernel/ is vocabulary: no SDKs, packages or Node built-ins.' },
          ],
        },
      ],
    },
  },
  {
    // Handlers are provider-neutral: they never see Azure's types (and, by layers/boundaries, no adapter at all).
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

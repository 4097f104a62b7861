// Runs the BUILT health function under plain node, bound as its Lambda bundle's entry binds it
// (adapters/aws/esbuild-plugins.ts: the factory module, every manifest for the app-scoped system
// service, and lambdaEntry), and reports which packages it loaded, so a test can prove health
// pays only for the SDKs of configured dependencies.
import { registerHooks } from 'node:module';

const packages = new Set();
registerHooks({
  resolve(specifier, context, next) {
    if (!specifier.startsWith('.') && !specifier.startsWith('node:') && !specifier.startsWith('file:')) {
      packages.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]);
    }
    return next(specifier, context);
  },
});

const factories = await import('../../dist/handlers/system/platform.routes.js');
const { lambdaEntry } = await import('../../dist/adapters/aws/lambda-entry.js');
const { services } = await import('../../dist/app/services.js');
const handler = lambdaEntry('health', factories.health, services);
const context = { awsRequestId: 'probe', functionName: 'health', getRemainingTimeInMillis: () => 10_000 };
const event = {
  version: '2.0', routeKey: 'GET /api/health', rawPath: '/api/health', rawQueryString: '', headers: {}, isBase64Encoded: false,
  requestContext: { http: { method: 'GET', path: '/api/health' }, requestId: 'probe' },
};
const result = await handler(event, context);
console.log(JSON.stringify({ status: result.statusCode, body: JSON.parse(result.body), packages: [...packages].sort() }));

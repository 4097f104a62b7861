/**
 * The API reference page's files: Swagger UI's stylesheet and script from the `swagger-ui-dist`
 * package (a production dependency, so it ships with the app on Azure), and our own page and
 * start-up script. Served by the app itself, never from a CDN.
 *
 * In a Lambda bundle there is no node_modules: adapters/aws/esbuild-plugins.ts serves this
 * module's `node:fs` from the package's files as they were at bundle time, so the code below runs
 * unchanged there too. It is imported on first use, so those 1.9 MB sit in a chunk that only the
 * first request for a file reads, not every cold start.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The files of swagger-ui-dist the page loads, with their content types. */
export const SWAGGER_UI_FILES = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
} as const;

export type SwaggerUiFile = keyof typeof SWAGGER_UI_FILES;

/** Where node_modules/swagger-ui-dist is, walking up from this file as Node's resolution does (sources and dist/ alike). */
export async function swaggerUiFolder(start = dirname(fileURLToPath(import.meta.url))): Promise<string> {
  const { existsSync } = await import('node:fs');
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', 'swagger-ui-dist');
    if (existsSync(join(candidate, 'swagger-ui-bundle.js'))) return candidate;
    if (dirname(dir) === dir) throw new Error('swagger-ui-dist is not installed: the API reference page cannot be served.');
  }
}

/** Reads one of SWAGGER_UI_FILES. */
export async function readSwaggerUiFile(name: SwaggerUiFile): Promise<string> {
  const { readFileSync } = await import('node:fs');
  return readFileSync(join(await swaggerUiFolder(), name), 'utf8');
}

/**
 * The page. Its URLs are relative to /api/docs, so it works under any prefix the platform adds;
 * it has no inline script or style, so its CSP can allow only its own origin. An empty icon
 * keeps the browser from asking the host for /favicon.ico, which the app does not serve.
 */
export const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Portico API reference</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="docs/swagger-ui-bundle.js"></script>
<script src="docs/init.js"></script>
</body>
</html>
`;

/**
 * Starts Swagger UI on /api/openapi.json; no online validator badge, which would call
 * validator.swagger.io. Tags start collapsed: with every tag open, Swagger UI 5 stops rendering
 * after the first tag once the document has more than about 130 operations (ours has more).
 */
export const DOCS_INIT_SCRIPT = `window.ui = SwaggerUIBundle({
  url: new URL('openapi.json', document.baseURI).href,
  dom_id: '#swagger-ui',
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
  deepLinking: true,
  docExpansion: 'none',
  validatorUrl: null,
});
`;

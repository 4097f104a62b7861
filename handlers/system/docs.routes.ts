/**
 * GET /api/docs: the interactive API reference (Swagger UI) of /api/openapi.json, and
 * GET /api/docs/{file}: the files it loads. Public, like the document it shows.
 */
import { notFound } from '../../domain/errors.ts';
import type { PorticoHttpHandler } from '../../middleware/http-stack.ts';
import { DOCS_INIT_SCRIPT, DOCS_PAGE, readSwaggerUiFile, SWAGGER_UI_FILES, type SwaggerUiFile } from './swagger-ui-assets.ts';

/**
 * Only this origin's scripts, styles and requests; images also as data: URIs, which is how
 * swagger-ui.css draws its icons. Nothing may frame the page.
 */
export const DOCS_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The page and our script change with a deployment; Swagger UI's files only with the package. */
const SHORT_CACHE = 'public, max-age=300';
const LONG_CACHE = 'public, max-age=86400';

export const docsPage = (): PorticoHttpHandler => async () => ({
  statusCode: 200,
  headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': SHORT_CACHE, 'content-security-policy': DOCS_CSP },
  body: DOCS_PAGE,
});

export const docsAsset = (): PorticoHttpHandler => {
  // Read on first request, then kept for the instance's life (1.9 MB in all).
  const cache = new Map<SwaggerUiFile, string>();
  return async (event) => {
    const file = event.pathParameters?.file ?? '';
    if (file === 'init.js') return { statusCode: 200, headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': SHORT_CACHE }, body: DOCS_INIT_SCRIPT };
    if (!Object.hasOwn(SWAGGER_UI_FILES, file)) throw notFound('No such file of the API reference page.');
    const name = file as SwaggerUiFile;
    let body = cache.get(name);
    if (body === undefined) cache.set(name, (body = await readSwaggerUiFile(name)));
    return { statusCode: 200, headers: { 'content-type': SWAGGER_UI_FILES[name], 'cache-control': LONG_CACHE }, body };
  };
};

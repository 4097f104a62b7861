/**
 * What the product-page parser reads from HTML: the `<meta>` tags (their attributes, in any order
 * and quoting, character references decoded as a browser decodes attribute values) and the text
 * of `<script>` elements. Tokenising is htmlparser2's (linear, streaming, never throws on input),
 * so comments and the raw text of style, textarea, title, xmp, iframe, noembed, noframes and
 * plaintext are text, not markup, exactly as a browser reads them. References are decoded by
 * `entities` (the full HTML5 table, and the attribute rule that leaves `&reg=eu` in a URL alone).
 */
import { decodeHTML } from 'entities';
import { Parser } from 'htmlparser2';

export interface ScannedPage {
  /** Lower-cased attribute maps of every `<meta>`, in document order. */
  metas: Map<string, string>[];
  /** Every `<script>`: its lower-cased `type` (without parameters) and raw text. */
  scripts: { type: string; text: string }[];
}

/** Decodes character references in text (every HTML5 named reference, numeric ones; invalid code points become U+FFFD). */
export function decodeEntities(text: string): string {
  return text.includes('&') ? decodeHTML(text) : text;
}

export function scanPage(html: string): ScannedPage {
  const page: ScannedPage = { metas: [], scripts: [] };
  // The attributes of the tag being opened; the first of a repeated name wins, as in HTML.
  let attrs = new Map<string, string>();
  let script: { type: string; text: string } | undefined;
  const parser = new Parser(
    {
      onopentagname() {
        attrs = new Map();
      },
      onattribute(name, value) {
        if (!attrs.has(name)) attrs.set(name, value);
      },
      onopentag(name) {
        if (name === 'meta') page.metas.push(attrs);
        else if (name === 'script') script = { type: (attrs.get('type') ?? '').split(';')[0]!.trim().toLowerCase(), text: '' };
      },
      ontext(text) {
        if (script) script.text += text;
      },
      onclosetag(name) {
        if (name !== 'script' || !script) return;
        page.scripts.push(script);
        script = undefined;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.end(html);
  return page;
}

/** The `href` of every `<a>`, in document order (at most `max`): a listing page's product links. */
export function scanLinks(html: string, max = 2000): string[] {
  const hrefs: string[] = [];
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name === 'a' && attributes.href && hrefs.length < max) hrefs.push(attributes.href);
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.end(html);
  return hrefs;
}

/**
 * Just enough of an HTML tokeniser for product pages: the `<meta>` tags (their attributes, in
 * any order and quoting, entities decoded) and the text of `<script>` elements. Comments and
 * the raw text of style, textarea and title are skipped, so markup quoted there is not read.
 * Linear in the input and never throws; no DOM library.
 */

export interface ScannedPage {
  /** Lower-cased attribute maps of every `<meta>`, in document order. */
  metas: Map<string, string>[];
  /** Every `<script>`: its lower-cased `type` (without parameters) and raw text. */
  scripts: { type: string; text: string }[];
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', euro: '€', pound: '£', yen: '¥', cent: '¢',
  copy: '©', reg: '®', trade: '™', ndash: '–', mdash: '—', hellip: '…', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”',
  laquo: '«', raquo: '»', middot: '·', bull: '•', times: '×', deg: '°', eacute: 'é', egrave: 'è', ecirc: 'ê', aacute: 'á',
  agrave: 'à', acirc: 'â', iacute: 'í', oacute: 'ó', ocirc: 'ô', uacute: 'ú', ntilde: 'ñ', ccedil: 'ç', auml: 'ä', ouml: 'ö',
  uuml: 'ü', Auml: 'Ä', Ouml: 'Ö', Uuml: 'Ü', szlig: 'ß', aring: 'å', oslash: 'ø', aelig: 'æ', Eacute: 'É',
};

/** Decodes character references (`&amp;`, `&#39;`, `&#x27;`, a common subset of named ones); unknown ones stay as written. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#[xX][0-9a-fA-F]{1,6}|#\d{1,7}|[A-Za-z]{2,8});?/g, (whole, body: string) => {
    if (body.startsWith('#')) {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      // Invalid and surrogate code points become U+FFFD, as a browser does.
      return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : '\ufffd';
    }
    return NAMED_ENTITIES[body] ?? whole;
  });
}

const TAG_NAME = /[A-Za-z][A-Za-z0-9-]*/y;
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title']);

const isSpace = (char: string | undefined) => char === ' ' || char === '\n' || char === '\t' || char === '\r' || char === '\f';

/** Reads the attributes from `start` to the tag's `>`; the first of a repeated name wins, as in HTML. */
function readAttributes(html: string, start: number): { attrs: Map<string, string>; end: number } {
  const attrs = new Map<string, string>();
  let p = start;
  const length = html.length;
  while (p < length) {
    while (p < length && (isSpace(html[p]) || html[p] === '/')) p++;
    if (p >= length || html[p] === '>') break;
    const nameStart = p;
    while (p < length && !isSpace(html[p]) && html[p] !== '=' && html[p] !== '>' && html[p] !== '/') p++;
    if (p === nameStart) {
      p++;
      continue;
    }
    const name = html.slice(nameStart, p).toLowerCase();
    while (p < length && isSpace(html[p])) p++;
    let value = '';
    if (html[p] === '=') {
      p++;
      while (p < length && isSpace(html[p])) p++;
      const quote = html[p];
      if (quote === '"' || quote === "'") {
        const close = html.indexOf(quote, p + 1);
        const stop = close < 0 ? length : close;
        value = html.slice(p + 1, stop);
        p = stop + 1;
      } else {
        const valueStart = p;
        while (p < length && !isSpace(html[p]) && html[p] !== '>') p++;
        value = html.slice(valueStart, p);
      }
    }
    if (!attrs.has(name)) attrs.set(name, decodeEntities(value));
  }
  return { attrs, end: Math.min(p + 1, length) };
}

/** The index just after the element's closing tag (`</name`...`>`), or the end of the input. */
function skipRawText(html: string, name: string, from: number): { text: string; end: number } {
  const close = new RegExp(`</${name}[\\s/>]`, 'gi');
  close.lastIndex = from;
  const found = close.exec(html);
  if (!found) return { text: html.slice(from), end: html.length };
  const gt = html.indexOf('>', found.index);
  return { text: html.slice(from, found.index), end: gt < 0 ? html.length : gt + 1 };
}

export function scanPage(html: string): ScannedPage {
  const page: ScannedPage = { metas: [], scripts: [] };
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) break;
    if (html.startsWith('<!--', lt)) {
      const close = html.indexOf('-->', lt + 4);
      i = close < 0 ? html.length : close + 3;
      continue;
    }
    TAG_NAME.lastIndex = lt + 1;
    const match = TAG_NAME.exec(html);
    if (!match) {
      i = lt + 1;
      continue;
    }
    const name = match[0].toLowerCase();
    if (name !== 'meta' && !RAW_TEXT.has(name)) {
      i = TAG_NAME.lastIndex;
      continue;
    }
    const { attrs, end } = readAttributes(html, TAG_NAME.lastIndex);
    if (name === 'meta') {
      page.metas.push(attrs);
      i = end;
      continue;
    }
    const raw = skipRawText(html, name, end);
    if (name === 'script') page.scripts.push({ type: (attrs.get('type') ?? '').split(';')[0]!.trim().toLowerCase(), text: raw.text });
    i = raw.end;
  }
  return page;
}

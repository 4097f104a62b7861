/**
 * Turning untrusted text (chat input, provider titles and snippets) into plain text. Markup is
 * read by htmlparser2, the tokeniser the domain already trusts (docs/architecture.md section 1),
 * not by regexes: `<b>Bar</b>` keeps "Bar", a comment or a script's body disappears, and
 * character references are decoded once. The result is meant to be JSON-encoded, so it is not
 * HTML-escaped again (the upstream's bleach turned `&` into `&amp;`, which a React client then
 * showed literally).
 */
import { Parser } from 'htmlparser2';

/** Elements whose content is never text a reader sees. */
const HIDDEN = new Set(['script', 'style', 'template', 'noscript', 'iframe', 'object', 'svg', 'math']);

/** The text content of an HTML fragment, references decoded, hidden elements dropped. */
export function htmlToText(html: string): string {
  if (!/[<&]/.test(html)) return html;
  const parts: string[] = [];
  let hiddenDepth = 0;
  const parser = new Parser(
    {
      onopentagname(name) {
        if (HIDDEN.has(name)) hiddenDepth += 1;
        // Every tag boundary separates words: "<p>a</p><p>b</p>" must be "a b", and splitting
        // a word at an inline tag ("Hid<b>den</b>") is the cheaper mistake.
        else parts.push(' ');
      },
      onclosetag(name) {
        if (HIDDEN.has(name)) hiddenDepth = Math.max(0, hiddenDepth - 1);
        else parts.push(' ');
      },
      ontext(text) {
        if (hiddenDepth === 0) parts.push(text);
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  return parts.join('');
}

/** Line breaks and tabs: they separate words, so they become a space (the upstream deleted them and glued words). */
const BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]/g;
/** Other C0/C1 controls, bidirectional overrides and isolates, deprecated format controls, BOM. */
const INVISIBLE = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u206F\uFEFF]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Printable, well-formed text on one line, runs of white space collapsed, trimmed. */
export function printable(text: string): string {
  return text.replace(LONE_SURROGATE, '').replace(BREAKS, ' ').replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
}

/** At most `max` code points (never half a surrogate pair), trimmed again. */
export function truncate(text: string, max: number): string {
  const points = Array.from(text);
  return points.length <= max ? text : points.slice(0, max).join('').trimEnd();
}

export const codePoints = (text: string) => Array.from(text).length;

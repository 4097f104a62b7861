/**
 * What text Portico stores. Every string in a request body must be well-formed Unicode: a lone
 * surrogate (from a `\ud800` escape) cannot be encoded as UTF-8, so a store, a log line or
 * another client would mangle or refuse it. Names and other short fields are also plain text:
 * no control characters, no line or paragraph separators, and none of the bidirectional
 * overrides and isolates that make text display in another order than it is stored ("Trojan
 * Source"). Letters of every script, emoji and their joiners (U+200C, U+200D) and the implicit
 * direction marks (U+200E, U+200F) are accepted everywhere.
 */

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * C0 and C1 controls (tab and line breaks included), U+2028/U+2029, the bidirectional embeddings
 * and overrides U+202A-U+202E, the isolates U+2066-U+2069, the deprecated format controls
 * U+206A-U+206F, and a byte order mark.
 */
const NOT_PLAIN = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u206F\uFEFF]/;

export const isWellFormed = (text: string): boolean => !LONE_SURROGATE.test(text);

export const isPlainText = (text: string): boolean => isWellFormed(text) && !NOT_PLAIN.test(text);

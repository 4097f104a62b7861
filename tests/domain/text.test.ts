/** domain/text.ts: what text Portico stores (well-formed everywhere; plain text in short fields). */
import { describe, expect, it } from '@jest/globals';
import { isPlainText, isWellFormed } from '../../domain/text.ts';

describe('isWellFormed', () => {
  it('refuses an unpaired surrogate anywhere, and accepts pairs', () => {
    for (const text of ['\ud800', 'a\udbff', '\udc00b', 'x\ude00y', '\ud83d\ud83d', '\ude00\ud83d']) expect([text, isWellFormed(text)]).toEqual([text, false]);
    for (const text of ['', 'plain', '😀', 'a\ud83d\ude00b', '𝄞 clef', 'line\nbreak']) expect([text, isWellFormed(text)]).toEqual([text, true]);
  });
});

describe('isPlainText', () => {
  it('refuses controls, separators, bidi embeddings, overrides and isolates, and a BOM', () => {
    const refused = ['\u0000', '\t', '\n', '\r', '\u001f', '\u007f', '\u0085', '\u009f', '\u2028', '\u2029', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u206f', '\ufeff', '\ud800'];
    for (const char of refused) expect([char.codePointAt(0), isPlainText(`Coat${char}x`)]).toEqual([char.codePointAt(0), false]);
  });

  it('accepts every script, emoji with joiners, ZWNJ and the implicit direction marks', () => {
    for (const text of ['Чёрное пальто', 'معطف أسود', 'מעיל\u200f', 'می\u200cخواهم', '黒いコート', '👩\u200d👩\u200d👧', 'café ½ – “quoted”']) expect([text, isPlainText(text)]).toEqual([text, true]);
  });
});

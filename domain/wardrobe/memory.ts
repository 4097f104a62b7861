/**
 * Memory facts: what the user asked the assistant to remember, kept in their own words (only
 * whitespace and end punctuation are tidied), because rewriting "I prefer navy" into a third
 * person note would sometimes change its meaning. Pure: detection, normalisation, dedupe keys.
 */

/** Tidies a fact for storage: one line, single spaces, no trailing punctuation. */
export function normaliseFact(text: string): string {
  return text
    .normalize('NFC')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\s.,;:!]+$/u, '')
    .trim();
}

/** Two facts are the same fact when they differ only in case, spacing or edge punctuation. */
export function factKey(text: string): string {
  return normaliseFact(text)
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/^[\s"'“”«»(\[-]+|[\s"'“”«»)\]?-]+$/gu, '');
}

// Leading small talk: "hey, ", "ok ", "oh and ", "btw ".
const INTERJECTIONS = String.raw`(?:(?:hey|hi|hello|ok|okay|oh|also|and|so|btw|by the way)[\s,!.]+)*`;
// "can you (please)", which also makes a trailing question mark a request rather than a question.
const ASKING = String.raw`(?<asking>(?:can|could|would|will)\s+you\s+(?:please\s+)?)?`;
const VERB = String.raw`(?:remember|keep\s+in\s+mind|(?:don[’']?t|do\s+not|never)\s+forget)`;
const REQUEST = new RegExp(
  String.raw`^\s*${INTERJECTIONS}(?:please\s+)?${ASKING}(?:please\s+)?${VERB}(?:\s*,?\s*please)?(?:\s*[:,-]\s*|\s+)(?:this\s*:\s*)?(?:that\s+)?(?<fact>[^\n]*)`,
  'iu',
);
// "remember to pack…", "remember when…", "remember what I said?": reminders and questions, not facts.
const NOT_A_FACT = /^(?:(?:to|when|what|where|why|how|who|whether|if)\b|(?:me|it|this|that)$)/iu;
/** The first sentence: up to a sentence end (a period before a space or the end, so "size 9.5" survives). */
const FIRST_SENTENCE = /^(?<sentence>.*?)(?<end>[.!?](?=\s|$)|$)/u;

/**
 * The fact in a chat message that asks to be remembered ("remember that I …", "please remember
 * …", "don't forget that …", "can you keep in mind …"), or undefined. Only a request at the start
 * of the message counts, and only its first sentence is the fact, so "Remember that I prefer
 * navy. What goes with grey?" saves "I prefer navy" and still asks the question.
 */
export function detectMemoryFact(message: string): string | undefined {
  const request = REQUEST.exec(message);
  const rest = request?.groups?.fact;
  if (!request || rest === undefined) return undefined;
  const sentence = FIRST_SENTENCE.exec(rest.trim());
  const text = sentence?.groups?.sentence ?? '';
  // A bare "remember …?" is a question ("remember when I wore it?"); "can you remember …?" is a request.
  if (sentence?.groups?.end === '?' && !request.groups?.asking) return undefined;
  const fact = normaliseFact(text);
  if (fact.length < 3 || NOT_A_FACT.test(fact) || !/\p{L}/u.test(fact)) return undefined;
  return fact;
}

/** The longest memory summary a user may have (the PluckIt clients' limit), in UTF-16 units. */
export const MEMORY_SUMMARY_MAX_CHARS = 2000;

/**
 * The memory summary with `fact` added as its last line (`- <fact>`), or undefined when nothing
 * changes: the summary already says it (same fact key on some line), or the line would take the
 * summary over `max` (the user's own text is never cut to make room).
 */
export function addFactToSummary(summary: string, fact: string, max = MEMORY_SUMMARY_MAX_CHARS): string | undefined {
  const key = factKey(fact);
  if (!key) return undefined;
  const lines = summary.split('\n');
  if (lines.some((line) => factKey(line.replace(/^\s*[-*•]\s*/u, '')) === key)) return undefined;
  const next = (summary.trim() ? `${summary.trim()}\n- ${normaliseFact(fact)}` : `- ${normaliseFact(fact)}`);
  return next.length > max ? undefined : next;
}

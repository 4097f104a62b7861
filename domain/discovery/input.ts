/**
 * The chat input's checks (issue 12, pipeline step 1; the contract's section 2). A refusal is a
 * 400 with a stable code, never the upstream's 422/500 split. Every pattern the upstream checked
 * is here; the deliberate differences are noted where they are.
 */
import { codePoints, htmlToText, printable } from './plain-text.ts';

export const INPUT_LIMITS = { min: 1, max: 500 } as const;

/**
 * Script-like text (the upstream's request-model validator: `<script`, `javascript:`, `onerror=`,
 * `onclick=`; `<iframe` from its never-called InputValidator). White space inside is tolerated,
 * so `< script` and `javascript :` do not slip through.
 */
export const SCRIPT_PATTERNS: readonly RegExp[] = [/<\s*script/i, /javascript\s*:/i, /\bonerror\s*=/i, /\bonclick\s*=/i, /<\s*iframe/i];

/**
 * The upstream's 23 prompt-injection patterns. Difference: a word boundary before each word
 * pattern, so "ecosystem: trails" and "jordan mode" are not refused as `system:` and `dan mode`.
 */
export const INJECTION_PATTERNS: readonly RegExp[] = [
  /\bignore\s+(all\s+)?previous\s+instructions?/i,
  /\bdisregard\s+(all\s+)?previous\s+instructions?/i,
  /\bforget\s+(all\s+)?previous\s+instructions?/i,
  /\bsystem\s*:/i,
  /<\s*\|.*?\|\s*>/i,
  /\byou\s+are\s+(now\s+)?(?:a|an)\s+\w+/i,
  /\bact\s+as\s+(?:a|an)\s+\w+/i,
  /\bpretend\s+(?:to\s+be|you\s+are)/i,
  /\broleplay\s+as/i,
  /\bsimulate\s+(?:a|an)\s+\w+/i,
  /\bnew\s+mode\s*:/i,
  /\bdeveloper\s+mode/i,
  /\bjailbreak/i,
  /\bdan\s+mode/i,
  /\bsudo\s+mode/i,
  /\[\s*system\s*\]/i,
  /<\s*admin\s*>/i,
  /%%\s*system/i,
  /\bexecute\s+code/i,
  /\brun\s+python/i,
  /\beval\s*\(/i,
  /\bexec\s*\(/i,
  /__import__/i,
];

/** More than this many of `< > { } [ ] | \` reads as markup or a payload, not a travel question. */
export const MAX_SPECIAL_CHARACTERS = 10;
const SPECIAL = /[<>{}[\]|\\]/g;

export type InputCheck =
  | { ok: true; text: string }
  | { ok: false; code: 'invalid_input' | 'unsafe_input'; message: string };

function unsafeReason(text: string): string | undefined {
  if (SCRIPT_PATTERNS.some((pattern) => pattern.test(text))) return 'The input contains script-like text.';
  if (INJECTION_PATTERNS.some((pattern) => pattern.test(text))) return 'The input looks like an instruction to the model, not a travel question.';
  if ((text.match(SPECIAL) ?? []).length > MAX_SPECIAL_CHARACTERS) return 'The input contains too many markup characters.';
  return undefined;
}

/**
 * Validates and cleans the chat input: at most 500 code points as sent; line breaks become
 * spaces and other non-printable characters are dropped; script-like and injection patterns
 * refuse it (`unsafe_input`), checked before and after markup is stripped and references are
 * decoded, so `&lt;script&gt;` cannot pass either; then HTML is stripped. Empty after all that is
 * `invalid_input` (the upstream let whitespace-only input past its length check).
 */
export function checkChatInput(raw: string): InputCheck {
  const length = codePoints(raw);
  if (length > INPUT_LIMITS.max) return { ok: false, code: 'invalid_input', message: `The input is longer than ${INPUT_LIMITS.max} characters.` };
  const cleaned = printable(raw);
  const before = unsafeReason(cleaned);
  if (before) return { ok: false, code: 'unsafe_input', message: before };
  const text = printable(htmlToText(cleaned));
  const after = unsafeReason(text);
  if (after) return { ok: false, code: 'unsafe_input', message: after };
  if (codePoints(text) < INPUT_LIMITS.min) return { ok: false, code: 'invalid_input', message: 'The input is empty.' };
  return { ok: true, text };
}

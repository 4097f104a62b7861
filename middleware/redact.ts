/** Credential scrubbing for anything that may reach a log line. Pure and depth-bounded. */
import { types } from 'node:util';
const SECRET_KEYS = /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-?key|pin|password|passwd|pwd|token|secret)$|password|token|secret|apikey|api_key|subscription-?key|credential|accountkey|connectionstring|sharedaccess/i;
const SECRET_VALUES: readonly [RegExp, string][] = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [REDACTED]'],
  [/\b(AccountKey|SharedAccessKey|sig|Password|pwd|key|token|secret|pin)=([^;&\s"']+)/gi, '$1=[REDACTED]'],
  [/\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, '[REDACTED_JWT]'],
  // Standard Webhooks secrets (VOICE_WEBHOOK_SECRETS, CAPABILITIES_WEBHOOK_SECRETS), wherever they turn up.
  [/\bwhsec_[A-Za-z0-9+/=]+/g, 'whsec_[REDACTED]'],
];
export const REDACTED = '[REDACTED]';
const MAX_DEPTH = 8;

export function redactString(value: string): string {
  let out = value;
  for (const [pattern, replacement] of SECRET_VALUES) out = out.replace(pattern, replacement);
  return out;
}

export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.test(key);
}

/** Returns a copy with secret-named keys masked and secret-looking substrings scrubbed. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[Truncated]';
  // isNativeError also recognises errors from other realms (vm contexts, workers).
  if (types.isNativeError(value)) return { name: value.name, message: redactString(value.message) };
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = isSecretKey(key) ? REDACTED : redact(item, depth + 1);
  }
  return out;
}

/**
 * Timestamps in the form the PluckIt iOS app decodes: its decoder is plain ISO 8601, which
 * refuses fractional seconds, so `yyyy-MM-ddTHH:mm:ssZ` (UTC, whole seconds, truncated).
 */
export function isoSeconds(at: number | Date): string {
  return new Date(at).toISOString().slice(0, 19) + 'Z';
}

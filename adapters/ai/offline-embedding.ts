/**
 * The offline provider's text embeddings: a hashed bag of words (feature hashing). Each word, and
 * each character trigram of it (so "shoes" is near "shoe"), adds ±weight to one of `dimensions`
 * slots chosen by a hash; the vector is then scaled to length 1. Texts sharing words point the
 * same way, unrelated texts are near-orthogonal: enough for a deterministic, useful answer with
 * no model, never a substitute for one.
 */

/** The offline vectors' length when the caller asks for none (a model's would be 1536 or more). */
export const OFFLINE_EMBEDDING_DIMENSIONS = 256;

const WORD_WEIGHT = 1;
const TRIGRAM_WEIGHT = 0.5;

/** FNV-1a, 32 bits: small, fast and the same on every machine. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Lower-cased words of letters and digits, in any script. */
export function words(text: string): string[] {
  return text.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

function add(vector: Float64Array, feature: string, weight: number): void {
  const hash = fnv1a(feature);
  // The slot from the hash, the sign from another bit: collisions cancel out instead of piling up.
  const slot = hash % vector.length;
  vector[slot] = (vector[slot] ?? 0) + (hash & 0x80000000 ? -weight : weight);
}

/** The text's vector of `dimensions` numbers, of length 1 (all zeros for a text without words). */
export function hashedEmbedding(text: string, dimensions: number = OFFLINE_EMBEDDING_DIMENSIONS): number[] {
  const vector = new Float64Array(dimensions);
  for (const word of words(text)) {
    add(vector, `w:${word}`, WORD_WEIGHT);
    const padded = `^${word}$`;
    for (let i = 0; i + 3 <= padded.length; i += 1) add(vector, `t:${padded.slice(i, i + 3)}`, TRIGRAM_WEIGHT);
  }
  const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
  return Array.from(vector, (value) => (norm === 0 ? 0 : value / norm));
}

/** The cosine of the angle between two vectors of one length (0 when either is all zeros). */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i]!;
    const y = b[i] ?? 0;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}

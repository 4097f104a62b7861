/**
 * Dominant colours of an image, from raw RGB(A) pixels (the image adapter hands over a small,
 * downscaled buffer). Pure and deterministic: the same pixels always give the same answer, in
 * the same order, whatever the platform.
 *
 * Method: pixels are binned on a 5-bit-per-channel grid; bins are visited from the most
 * populous and joined to the first cluster whose seed is perceptually close (CIELAB ΔE), so
 * shades of one colour count as one. The largest clusters are answered; pixels of the clusters
 * left out are counted towards the nearest answered one, so the shares always sum to 1. Each
 * colour's hex is the mean of its own pixels (a solid image gives exactly its colour), and its
 * name is the nearest entry of a fixed palette in CIELAB.
 */

export interface RawPixels {
  /** Row-major, `channels` bytes per pixel. */
  data: Uint8Array;
  width: number;
  height: number;
  channels: 3 | 4;
}

export interface DominantColour {
  /** `#rrggbb`, lower case. */
  hex: string;
  /** The nearest name in COLOUR_PALETTE. */
  name: string;
  /** Fraction of the opaque pixels, 4 decimals; the shares of one answer sum to 1. */
  share: number;
}

export type Lab = readonly [l: number, a: number, b: number];

/** Pixels at or below this alpha are background (cut out by background removal) and are ignored. */
export const TRANSPARENT_ALPHA = 127;
/** Colours closer than this (ΔE76) are shades of one colour. */
const MERGE_DISTANCE = 14;
export const DEFAULT_MAX_COLOURS = 5;

/** Names people use for clothes; sRGB values chosen as typical of each. */
export const COLOUR_PALETTE: readonly { name: string; hex: string }[] = [
  { name: 'black', hex: '#111111' },
  { name: 'charcoal', hex: '#36454f' },
  { name: 'grey', hex: '#808080' },
  { name: 'light grey', hex: '#c8c8c8' },
  { name: 'white', hex: '#f8f8f8' },
  { name: 'cream', hex: '#f3ead3' },
  { name: 'beige', hex: '#d8c8a8' },
  { name: 'khaki', hex: '#b5a67a' },
  { name: 'tan', hex: '#d2b48c' },
  { name: 'camel', hex: '#c19a6b' },
  { name: 'brown', hex: '#7b4a2a' },
  { name: 'dark brown', hex: '#3e2417' },
  { name: 'burgundy', hex: '#800020' },
  { name: 'red', hex: '#d0202a' },
  { name: 'coral', hex: '#ff7f50' },
  { name: 'pink', hex: '#f4a6c1' },
  { name: 'magenta', hex: '#c8308a' },
  { name: 'orange', hex: '#f07820' },
  { name: 'mustard', hex: '#d4a017' },
  { name: 'yellow', hex: '#f5d829' },
  { name: 'olive', hex: '#6b7a34' },
  { name: 'green', hex: '#2e8b3a' },
  { name: 'dark green', hex: '#1e4d2b' },
  { name: 'mint', hex: '#a8e6c1' },
  { name: 'teal', hex: '#008080' },
  { name: 'turquoise', hex: '#40e0d0' },
  { name: 'light blue', hex: '#a6cbe8' },
  { name: 'blue', hex: '#2a5cc8' },
  { name: 'denim', hex: '#46648c' },
  { name: 'navy', hex: '#1b2a4a' },
  { name: 'purple', hex: '#6a2c91' },
  { name: 'lavender', hex: '#b9a6dc' },
];

export function hexOf(r: number, g: number, b: number): string {
  return `#${[r, g, b].map((value) => Math.round(value).toString(16).padStart(2, '0')).join('')}`;
}

export function parseHex(hex: string): [number, number, number] | undefined {
  const match = /^#?([0-9a-f]{6})$/i.exec(hex);
  if (!match?.[1]) return undefined;
  const value = parseInt(match[1], 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

const toLinear = (channel: number): number => {
  const c = channel / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
};
const labF = (t: number): number => (t > 216 / 24389 ? Math.cbrt(t) : (t * 24389) / 27 / 116 + 16 / 116);

/** sRGB (0-255) to CIELAB under D65. */
export function rgbToLab(r: number, g: number, b: number): Lab {
  const [lr, lg, lb] = [toLinear(r), toLinear(g), toLinear(b)];
  const x = (0.4124564 * lr + 0.3575761 * lg + 0.1804375 * lb) / 0.95047;
  const y = 0.2126729 * lr + 0.7151522 * lg + 0.072175 * lb;
  const z = (0.0193339 * lr + 0.119192 * lg + 0.9503041 * lb) / 1.08883;
  const [fx, fy, fz] = [labF(x), labF(y), labF(z)];
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

/** Squared ΔE76: enough to compare distances. */
const distance2 = (p: Lab, q: Lab): number => (p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2 + (p[2] - q[2]) ** 2;

const PALETTE_LAB = COLOUR_PALETTE.map((entry) => {
  const [r, g, b] = parseHex(entry.hex) as [number, number, number];
  return { name: entry.name, lab: rgbToLab(r, g, b) };
});

/** The palette name nearest to the colour in CIELAB (ties: the earlier palette entry). */
export function colourName(r: number, g: number, b: number): string {
  const lab = rgbToLab(r, g, b);
  let best = PALETTE_LAB[0]!;
  let bestDistance = Infinity;
  for (const entry of PALETTE_LAB) {
    const d = distance2(lab, entry.lab);
    if (d < bestDistance) {
      best = entry;
      bestDistance = d;
    }
  }
  return best.name;
}

interface Cluster {
  seed: Lab;
  /** Own pixels: their sums give the colour. */
  count: number;
  r: number;
  g: number;
  b: number;
  /** Own pixels plus those of left-out clusters counted towards it: gives the share. */
  weight: number;
}

function checkPixels(pixels: RawPixels): void {
  const { data, width, height, channels } = pixels;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) throw new RangeError('width and height must be whole numbers');
  if (channels !== 3 && channels !== 4) throw new RangeError('channels must be 3 or 4');
  if (data.length !== width * height * channels) throw new RangeError(`expected ${width * height * channels} bytes, got ${data.length}`);
}

/** The `max` most dominant colours of the opaque pixels, largest share first; [] when none is opaque. */
export function dominantColours(pixels: RawPixels, options: { max?: number } = {}): DominantColour[] {
  checkPixels(pixels);
  const max = Math.max(1, Math.floor(options.max ?? DEFAULT_MAX_COLOURS));
  const { data, channels } = pixels;
  const bins = 1 << 15;
  const count = new Uint32Array(bins);
  const sums = new Float64Array(bins * 3);
  let total = 0;
  for (let i = 0; i < data.length; i += channels) {
    if (channels === 4 && data[i + 3]! <= TRANSPARENT_ALPHA) continue;
    const r = data[i]!;
    const g = data[i + 1]!;
    const b = data[i + 2]!;
    const bin = ((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3);
    count[bin] = count[bin]! + 1;
    sums[bin * 3] = sums[bin * 3]! + r;
    sums[bin * 3 + 1] = sums[bin * 3 + 1]! + g;
    sums[bin * 3 + 2] = sums[bin * 3 + 2]! + b;
    total += 1;
  }
  if (total === 0) return [];

  const used: number[] = [];
  for (let bin = 0; bin < bins; bin += 1) if (count[bin]! > 0) used.push(bin);
  // Most populous first; equal counts in bin order, so the result never depends on pixel order.
  used.sort((p, q) => count[q]! - count[p]! || p - q);

  const limit = MERGE_DISTANCE ** 2;
  const clusters: Cluster[] = [];
  for (const bin of used) {
    const n = count[bin]!;
    const [r, g, b] = [sums[bin * 3]!, sums[bin * 3 + 1]!, sums[bin * 3 + 2]!];
    const lab = rgbToLab(r / n, g / n, b / n);
    let target: Cluster | undefined;
    let nearest = limit;
    for (const cluster of clusters) {
      const d = distance2(lab, cluster.seed);
      if (d < nearest) {
        target = cluster;
        nearest = d;
      }
    }
    if (!target) clusters.push((target = { seed: lab, count: 0, r: 0, g: 0, b: 0, weight: 0 }));
    target.count += n;
    target.weight += n;
    target.r += r;
    target.g += g;
    target.b += b;
  }

  // Stable sort: equal counts keep their creation order, which is deterministic.
  clusters.sort((p, q) => q.count - p.count);
  const kept = clusters.slice(0, max);
  const labOf = (cluster: Cluster): Lab => rgbToLab(cluster.r / cluster.count, cluster.g / cluster.count, cluster.b / cluster.count);
  const keptLab = kept.map(labOf);
  for (const cluster of clusters.slice(max)) {
    const lab = labOf(cluster);
    let best = 0;
    for (let k = 1; k < kept.length; k += 1) if (distance2(lab, keptLab[k]!) < distance2(lab, keptLab[best]!)) best = k;
    kept[best]!.weight += cluster.count;
  }

  kept.sort((p, q) => q.weight - p.weight);
  const colours = kept.map((cluster) => {
    const [r, g, b] = [cluster.r / cluster.count, cluster.g / cluster.count, cluster.b / cluster.count];
    return { hex: hexOf(r, g, b), name: colourName(r, g, b), share: Math.round((cluster.weight / total) * 10_000) / 10_000 };
  });
  // Rounding may leave the shares a few ten-thousandths off 1; the largest absorbs it.
  const rest = colours.slice(1).reduce((sum, colour) => sum + colour.share, 0);
  colours[0]!.share = Math.round((1 - rest) * 10_000) / 10_000;
  return colours;
}

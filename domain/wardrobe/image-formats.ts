/**
 * The image types the wardrobe accepts, and content sniffing: what the bytes really are,
 * whatever the Content-Type says. Only the magic bytes are read here; decoding (and refusing
 * corrupt or oversized images) is the image adapter's job.
 */

export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/avif'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

export const EXTENSIONS: Readonly<Record<ImageType, string>> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/avif': 'avif',
};

const ascii = (bytes: Uint8Array, start: number, length: number): string =>
  String.fromCharCode(...bytes.subarray(start, start + length));

/** `image/png; charset=x` -> `image/png`; undefined unless it is one of IMAGE_TYPES. */
export function declaredImageType(contentType: string | undefined): ImageType | undefined {
  const essence = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  // `image/jpg` is a common mistake for image/jpeg; accept it as such.
  const type = essence === 'image/jpg' ? 'image/jpeg' : essence;
  return (IMAGE_TYPES as readonly string[]).includes(type) ? (type as ImageType) : undefined;
}

const AVIF_BRANDS = new Set(['avif', 'avis']);

/** An ISO-BMFF `ftyp` box whose major or a compatible brand is AVIF. */
function isAvif(bytes: Uint8Array): boolean {
  if (bytes.length < 16 || ascii(bytes, 4, 4) !== 'ftyp') return false;
  const size = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
  const end = Math.min(size, bytes.length, 256);
  if (size < 16) return false;
  if (AVIF_BRANDS.has(ascii(bytes, 8, 4))) return true;
  for (let offset = 16; offset + 4 <= end; offset += 4) if (AVIF_BRANDS.has(ascii(bytes, offset, 4))) return true;
  return false;
}

/** HEIF brands of HEVC-coded images: what an iPhone camera writes as `.heic`. */
const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs']);

/**
 * An HEIC photo (HEVC in an ISO-BMFF `ftyp` box). Not one of IMAGE_TYPES: the sharp build here
 * has no HEVC decoder (its libheif decodes AVIF only), so such a photo is recognised to be
 * refused with a clear answer instead of "not an image".
 */
export function isHeic(bytes: Uint8Array): boolean {
  if (bytes.length < 16 || ascii(bytes, 4, 4) !== 'ftyp' || isAvif(bytes)) return false;
  const size = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
  const end = Math.min(size, bytes.length, 256);
  if (HEIC_BRANDS.has(ascii(bytes, 8, 4))) return true;
  for (let offset = 16; offset + 4 <= end; offset += 4) if (HEIC_BRANDS.has(ascii(bytes, offset, 4))) return true;
  return false;
}

/** What the bytes are, by their signature; undefined for anything else. */
export function sniffImageType(bytes: Uint8Array): ImageType | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((value, index) => bytes[index] === value)) return 'image/png';
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return 'image/webp';
  if (isAvif(bytes)) return 'image/avif';
  return undefined;
}

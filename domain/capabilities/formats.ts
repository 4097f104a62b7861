/**
 * What an input file really is, by its first bytes, whatever its name or Content-Type says; a
 * plugin's `supported_formats` (file extensions, as plugins.yaml writes them) are checked
 * against this. Only signatures are read: decoding, and refusing corrupt files, is the plugin's job.
 */
import { sniffImageType, EXTENSIONS } from '../wardrobe/image-formats.ts';

/** The canonical extension of each format sniffFormat knows, and its media type. */
export const FORMAT_TYPES: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp', avif: 'image/avif', gif: 'image/gif', tiff: 'image/tiff',
  pdf: 'application/pdf', mp4: 'video/mp4', mov: 'video/quicktime', webm: 'video/webm', mkv: 'video/x-matroska', avi: 'video/x-msvideo',
};

/** Other names plugins.yaml may use for a format. */
const ALIASES: Readonly<Record<string, string>> = { jpeg: 'jpg', tif: 'tiff', m4v: 'mp4' };

export const canonicalFormat = (extension: string): string => {
  const lower = extension.toLowerCase();
  return ALIASES[lower] ?? lower;
};

const ascii = (bytes: Uint8Array, start: number, length: number): string => String.fromCharCode(...bytes.subarray(start, start + length));

/** The format's canonical extension, or undefined when the signature is none we know. */
export function sniffFormat(bytes: Uint8Array): string | undefined {
  const image = sniffImageType(bytes);
  if (image) return EXTENSIONS[image];
  if (bytes.length >= 6 && (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a')) return 'gif';
  if (bytes.length >= 4 && (ascii(bytes, 0, 4) === 'II*\0' || ascii(bytes, 0, 4) === 'MM\0*')) return 'tiff';
  if (bytes.length >= 5 && ascii(bytes, 0, 5) === '%PDF-') return 'pdf';
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'AVI ') return 'avi';
  if (bytes.length >= 4 && bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) {
    // EBML: the DocType says which of the two.
    return ascii(bytes, 0, Math.min(bytes.length, 64)).includes('webm') ? 'webm' : 'mkv';
  }
  if (bytes.length >= 12 && ascii(bytes, 4, 4) === 'ftyp') return ascii(bytes, 8, 4) === 'qt  ' ? 'mov' : 'mp4';
  return undefined;
}

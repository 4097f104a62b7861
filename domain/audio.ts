/**
 * The audio containers a voice note may come in (wav, mp3, m4a, webm, ogg), told by their bytes,
 * never by a declared type, and the duration where the header states it simply (WAV). Only
 * headers are read: decoding is the transcriber's job. A file too short to hold its container's
 * header, or whose header promises more data than is there (WAV), is refused as truncated.
 */

export const AUDIO_TYPES = ['audio/wav', 'audio/mpeg', 'audio/mp4', 'audio/webm', 'audio/ogg'] as const;
export type AudioType = (typeof AUDIO_TYPES)[number];

/** The file extension Whisper (and the OpenAI upload) infers the format from. */
export const AUDIO_EXTENSIONS: Readonly<Record<AudioType, string>> = {
  'audio/wav': 'wav',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'audio/webm': 'webm',
  'audio/ogg': 'ogg',
};

export interface AudioInfo {
  contentType: AudioType;
  /** Seconds, when the header states it (WAV); otherwise null. */
  durationSeconds: number | null;
}

/** Why the bytes are refused: not one of the containers, or one cut short. */
export type AudioRefusal = 'unsupported' | 'truncated';

const ascii = (bytes: Uint8Array, start: number, length: number): string => String.fromCharCode(...bytes.subarray(start, start + length));
const u32le = (bytes: Uint8Array, at: number): number => (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
const u16le = (bytes: Uint8Array, at: number): number => bytes[at]! | (bytes[at + 1]! << 8);

/** An MPEG audio frame header: 11 sync bits, a valid version, layer, bitrate and sample rate. */
function isMpegFrame(bytes: Uint8Array, at = 0): boolean {
  if (bytes.length < at + 4 || bytes[at] !== 0xff || (bytes[at + 1]! & 0xe0) !== 0xe0) return false;
  const version = (bytes[at + 1]! >> 3) & 0x03;
  const layer = (bytes[at + 1]! >> 1) & 0x03;
  const bitrate = bytes[at + 2]! >> 4;
  const sampleRate = (bytes[at + 2]! >> 2) & 0x03;
  return version !== 1 && layer !== 0 && bitrate !== 0x0f && sampleRate !== 0x03;
}

/** Walks the RIFF chunks of a WAVE file to `fmt ` and `data`: the duration is data bytes / byte rate. */
function wavInfo(bytes: Uint8Array): AudioInfo | AudioRefusal {
  let byteRate: number | undefined;
  for (let at = 12; at + 8 <= bytes.length; ) {
    const id = ascii(bytes, at, 4);
    const size = u32le(bytes, at + 4);
    const body = at + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.length) return 'truncated';
      byteRate = u32le(bytes, body + 8);
      if (u16le(bytes, body + 2) === 0 || byteRate === 0) return 'unsupported';
    } else if (id === 'data') {
      if (byteRate === undefined) return 'unsupported';
      // A streaming writer may leave the size at 0 or 0xFFFFFFFF ("unknown"): take what is there.
      const available = bytes.length - body;
      const declared = size === 0 || size === 0xffffffff ? available : size;
      if (declared > available || available === 0) return 'truncated';
      return { contentType: 'audio/wav', durationSeconds: Math.round((declared / byteRate) * 100) / 100 };
    }
    at = body + size + (size % 2);
  }
  return 'truncated';
}

/** What the audio is, with its duration when known; or why it is refused. */
export function sniffAudio(bytes: Uint8Array): AudioInfo | AudioRefusal {
  if (bytes.length < 12) return bytes.length >= 4 && /^(RIFF|OggS|ID3)/.test(ascii(bytes, 0, 4)) ? 'truncated' : 'unsupported';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WAVE') return wavInfo(bytes);
  const unknown = (contentType: AudioType): AudioInfo => ({ contentType, durationSeconds: null });
  if (ascii(bytes, 0, 3) === 'ID3') {
    // ID3v2: a 10-byte header whose size is four 7-bit bytes; the first MPEG frame follows the tag.
    const tag = 10 + ((bytes[6]! << 21) | (bytes[7]! << 14) | (bytes[8]! << 7) | bytes[9]!);
    if (bytes.length < tag + 4) return 'truncated';
    return isMpegFrame(bytes, tag) ? unknown('audio/mpeg') : 'unsupported';
  }
  // An MP3 without an ID3 tag starts with a frame (the upstream refused these).
  if (isMpegFrame(bytes)) return unknown('audio/mpeg');
  if (ascii(bytes, 4, 4) === 'ftyp') {
    const brand = ascii(bytes, 8, 4);
    return /^(M4A |M4B |mp42|mp41|isom|iso2|dash)$/.test(brand) ? unknown('audio/mp4') : 'unsupported';
  }
  if (ascii(bytes, 0, 4) === 'OggS') return unknown('audio/ogg');
  if (bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) return unknown('audio/webm');
  return 'unsupported';
}

/** The duration for people: `4.5 s`, or `unknown duration`. */
export function describeDuration(seconds: number | null): string {
  return seconds === null ? 'unknown duration' : `${seconds} s`;
}

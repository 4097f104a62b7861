/** The audio port's pure parts: the container sniffed from the first bytes, and a WAV's duration from its header. */
import { describe, expect, it } from '@jest/globals';
import { sniffAudioContainer } from '../../adapters/voice/audio.ts';
import { wavDurationSeconds } from '../../domain/voice/audio.ts';
import { tone } from './support/audio.ts';

const bytes = (...values: (number | string)[]) =>
  Uint8Array.from(values.flatMap((value) => (typeof value === 'string' ? [...value].map((char) => char.charCodeAt(0)) : [value])));

describe('sniffAudioContainer', () => {
  it.each([
    ['wav', bytes('RIFF', 0, 0, 0, 0, 'WAVE')],
    ['ogg', bytes('OggS', 0)],
    ['flac', bytes('fLaC', 0)],
    ['mov', bytes(0, 0, 0, 32, 'ftypM4A ')],
    ['matroska', bytes(0x1a, 0x45, 0xdf, 0xa3, 0)],
    ['mp3', bytes('ID3', 4, 0)],
    ['mp3', bytes(0xff, 0xfb, 0x90, 0x00)],
  ])('reads %s from its magic bytes', (container, input) => {
    expect(sniffAudioContainer(input)).toBe(container);
  });

  it.each([
    ['text', new TextEncoder().encode('#EXTM3U\nfile:///etc/passwd\n')],
    ['a RIFF that is not WAVE (AVI)', bytes('RIFF', 0, 0, 0, 0, 'AVI ')],
    ['a frame sync with the reserved layer', bytes(0xff, 0xe0, 0, 0)],
    ['nothing', new Uint8Array()],
  ])('takes nothing else: %s', (_what, input) => {
    expect(sniffAudioContainer(input)).toBeUndefined();
  });
});

describe('wavDurationSeconds', () => {
  it('reads the duration ffmpeg wrote, and nothing from what is not a WAV', async () => {
    expect(wavDurationSeconds(await tone({ seconds: 2, sampleRate: 16_000 }))).toBeCloseTo(2, 2);
    expect(wavDurationSeconds(await tone({ seconds: 1.5, sampleRate: 44_100, channels: 2 }))).toBeCloseTo(1.5, 2);
    expect(wavDurationSeconds(bytes('RIFF', 0, 0, 0, 0, 'WAVE'))).toBeUndefined();
    expect(wavDurationSeconds(new TextEncoder().encode('not a wav at all'))).toBeUndefined();
  }, 30_000);
});

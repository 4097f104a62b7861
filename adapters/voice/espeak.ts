/**
 * eSpeak-NG from the espeak-ng package: the speech synthesizer compiled to WebAssembly with its
 * voice data embedded, so it runs in-process with nothing to download or spawn. Each call is a
 * fresh instance of the program (its main runs once, writing a WAV to its own in-memory file
 * system); the program's bytes are read once. The text goes in a file (`-f`), never on the command
 * line, so no text can be read as an option.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { once } from '../../kernel/once.ts';

export interface SpeakOptions {
  /** eSpeak voice (language); default `en-us`. */
  voice?: string;
  /** Words per minute, 80-450 (eSpeak's default is 175). */
  wordsPerMinute?: number;
  /** 0-99 (eSpeak's default is 50). */
  pitch?: number;
}

/** The program's bytes (18 MB, its voice data embedded), read once. */
const wasmBinary = once(async () => new Uint8Array(await readFile(createRequire(import.meta.url).resolve('espeak-ng/dist/espeak-ng.wasm'))));

/** 22.05 kHz mono 16-bit PCM WAV of `text`. Rejects when eSpeak wrote nothing. */
export async function speak(text: string, options: SpeakOptions = {}): Promise<Uint8Array> {
  const [{ default: ESpeakNg }, binary] = await Promise.all([import('espeak-ng'), wasmBinary()]);
  const errors: string[] = [];
  const args = ['-v', options.voice ?? 'en-us', '-s', String(options.wordsPerMinute ?? 175), '-p', String(options.pitch ?? 50), '-w', '/out.wav', '-f', '/in.txt'];
  const program = await ESpeakNg({
    arguments: args,
    preRun: [(instance) => instance.FS.writeFile('/in.txt', text)],
    wasmBinary: binary,
    print: () => undefined,
    printErr: (line) => errors.push(line),
  });
  try {
    return program.FS.readFile('/out.wav');
  } catch {
    throw new Error(`eSpeak-NG wrote no audio${errors.length ? `: ${errors.join('; ').slice(0, 300)}` : ''}`);
  }
}

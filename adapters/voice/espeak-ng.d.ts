/** The espeak-ng package (Emscripten, ES module, no types of its own): what adapters/voice/espeak.ts uses. */
declare module 'espeak-ng' {
  interface EspeakFs {
    writeFile(path: string, data: string | Uint8Array): void;
    readFile(path: string): Uint8Array;
  }
  export interface EspeakModule {
    FS: EspeakFs;
  }
  export interface EspeakOptions {
    arguments: string[];
    preRun?: ((module: EspeakModule) => void)[];
    /** The .wasm's bytes, so the program does not read them itself. */
    wasmBinary?: Uint8Array;
    print?: (line: string) => void;
    printErr?: (line: string) => void;
  }
  /** Instantiates the program and runs its main with `arguments`; resolves once it returned. */
  export default function ESpeakNg(options: EspeakOptions): Promise<EspeakModule>;
}

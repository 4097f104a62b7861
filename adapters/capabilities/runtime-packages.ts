/**
 * The npm packages capability plugins (and the voice service's offline provider) load at run time that a bundle cannot carry: native
 * binaries (sharp, @napi-rs/canvas, ffmpeg), wasm and data read from their own folders
 * (tesseract.js and its English data, pdf.js's fonts), and model weights (nsfwjs, TensorFlow.js).
 * The Lambda bundles leave them out (serverless.yml `custom.esbuild.exclude`); a plugin lists the
 * ones it needs in its `packages`, and tests/capabilities/registry.test.ts checks both agree.
 */
export const RUNTIME_PACKAGES = [
  'sharp',
  '@napi-rs/canvas',
  'pdfjs-dist',
  'tesseract.js',
  '@tesseract.js-data/eng',
  'nsfwjs',
  '@tensorflow/tfjs',
  '@ffmpeg-installer/ffmpeg',
  '@ffprobe-installer/ffprobe',
  // The voice service's offline provider: eSpeak-NG's 18 MB .wasm is read from the package's folder.
  'espeak-ng',
] as const;

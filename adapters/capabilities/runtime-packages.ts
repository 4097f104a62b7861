/**
 * The npm packages capability plugins load at run time that a bundle cannot carry: native
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
] as const;

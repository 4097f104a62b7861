/**
 * image-compress through its route against sharp called directly on the same image:
 *   (a) route: POST /api/v1/image/compress through the handler the app binds, called as Lambda
 *       calls it (API key checked, JSON body parsed, base64 decoded, content sniffed, header
 *       checked, encoded, written to the blob store, answered), in-memory blobs and documents
 *   (b) sharp: the same decode, orientation, resize and encode on the same bytes, nothing else
 * Both make the same 1280 × 960 WebP at quality 75 from a 2560 × 1920 JPEG photo-like image.
 * Each figure is a median over rounds whose order alternates; the ratio is (a) / (b). No thresholds.
 */
import './env.ts';
import azf from '@azure/functions';
import sharp from 'sharp';
import { fileURLToPath } from 'node:url';
import { lambdaContext } from '../adapters/aws/lambda-events.ts';
import { toHttpEvent } from '../adapters/azure/http.ts';
import { MemoryBlobStore } from '../adapters/memory/blobs.ts';
import { MemoryDocumentStore } from '../adapters/memory/documents.ts';
import { createApp } from '../app/app.ts';
import { systemClock } from '../app/ports.ts';
import { services } from '../app/services.ts';
import type { FunctionDef, HttpLambda, HttpTrigger } from '../kernel/functions.ts';
import { createLogger } from '../middleware/logger.ts';

const KEY = 'bench-key-0123456789abcdef';
const ROUNDS = 9;
const CALLS = 4;
const OPTIONS = { quality: 75, format: 'webp', max_width: 1280, max_height: 1280 } as const;

const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;

/** A photo-like image: smooth gradients and noise, so the encoders have real work. */
async function photo(): Promise<Buffer> {
  const width = 2560;
  const height = 1920;
  const pixels = Buffer.alloc(width * height * 3);
  let seed = 7;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const noise = (seed >> 16) % 24;
      const at = (y * width + x) * 3;
      pixels[at] = (x * 255) / width + noise;
      pixels[at + 1] = (y * 255) / height + noise;
      pixels[at + 2] = ((x + y) * 127) / (width + height) + noise;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
}

export async function runCapabilities(): Promise<void> {
  const image = await photo();
  const logger = createLogger({ level: 'info', pretty: false, destination: { write: () => {} } });
  const app = createApp({
    services,
    env: { RATE_LIMITING_ENABLED: 'false', API_KEYS: `bench:${KEY}` },
    ports: { logger, documents: new MemoryDocumentStore(systemClock), blobs: new MemoryBlobStore() },
  });
  const def = app.find('capabilities-compress') as FunctionDef<HttpTrigger>;
  const handler = (await app.bind(def)) as HttpLambda;
  const event = await toHttpEvent(
    new azf.HttpRequest({
      method: 'POST',
      url: 'http://127.0.0.1/api/v1/image/compress',
      headers: { 'content-type': 'application/json', 'x-api-key': KEY },
      body: { string: JSON.stringify({ image_base64: image.toString('base64'), options: OPTIONS }) },
    }),
    def.trigger,
    new azf.InvocationContext({ invocationId: 'bench-invocation', functionName: def.name }),
  );

  const viaRoute = async () => {
    const result = await handler(event, lambdaContext(def, 29_000, undefined));
    if (result.statusCode !== 200) throw new Error(`capabilities bench: expected 200, got ${result.statusCode} ${result.body}`);
    return JSON.parse(result.body!) as { data: { metadata: { width: number; height: number; compressed_size: number } } };
  };
  const direct = () =>
    sharp(image, { limitInputPixels: 100_000_000, failOn: 'error' })
      .autoOrient()
      .resize({ width: OPTIONS.max_width, height: OPTIONS.max_height, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: OPTIONS.quality })
      .toBuffer({ resolveWithObject: true });

  // Guard against timing different work: the same dimensions and (nearly) the same bytes out.
  const [routed, raw] = [await viaRoute(), await direct()];
  if (routed.data.metadata.width !== raw.info.width || routed.data.metadata.height !== raw.info.height) {
    throw new Error(`capabilities bench: the route made ${routed.data.metadata.width}x${routed.data.metadata.height}, sharp ${raw.info.width}x${raw.info.height}`);
  }

  const variants = [
    { label: '(a) POST /api/v1/image/compress', run: viaRoute, samples: [] as number[] },
    { label: '(b) sharp directly', run: direct, samples: [] as number[] },
  ];
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < variants.length; k++) {
      const variant = variants[(round + k) % variants.length]!;
      const started = performance.now();
      for (let i = 0; i < CALLS; i++) await variant.run();
      variant.samples.push((performance.now() - started) / CALLS);
    }
  }
  const [route, sharpOnly] = variants.map((variant) => ({ ...variant, ms: median(variant.samples) }));
  console.log(
    `\nimage-compress: a ${Math.round(image.byteLength / 1024)} KB 2560x1920 JPEG to a ${raw.info.width}x${raw.info.height} WebP q${OPTIONS.quality} ` +
      `(${Math.round(raw.data.byteLength / 1024)} KB), median of ${ROUNDS} alternating rounds of ${CALLS} calls, logging at info into a no-op sink`,
  );
  for (const variant of [route!, sharpOnly!]) {
    console.log(`  ${variant.label.padEnd(34)} ${variant.ms.toFixed(1).padStart(8)} ms/call  (rounds ${Math.min(...variant.samples).toFixed(1)}-${Math.max(...variant.samples).toFixed(1)})`);
  }
  console.log(`image-compress: route ${route!.ms.toFixed(1)} ms/call, sharp ${sharpOnly!.ms.toFixed(1)} ms/call (ratio ${(route!.ms / sharpOnly!.ms).toFixed(2)}x route/sharp)`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await runCapabilities();

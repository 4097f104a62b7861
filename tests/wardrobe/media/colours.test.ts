/** Dominant colours, image sniffing and the offline metadata guess: pure domain code, with properties. */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { colourName, dominantColours, hexOf, rgbToLab, type RawPixels } from '../../../domain/wardrobe/colours.ts';
import { declaredImageType, sniffImageType } from '../../../domain/wardrobe/image-formats.ts';
import { cleanMetadata, imageFeatures, offlineMetadata, OFFLINE_CONFIDENCE } from '../../../domain/wardrobe/metadata.ts';

const RUNS = 300;

function image(width: number, height: number, paint: (x: number, y: number) => [number, number, number, number]): RawPixels {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y += 1) for (let x = 0; x < width; x += 1) data.set(paint(x, y), (y * width + x) * 4);
  return { data, width, height, channels: 4 };
}

const rgb = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }));
const pixelsArb = fc
  .record({ width: fc.integer({ min: 1, max: 24 }), height: fc.integer({ min: 1, max: 24 }), channels: fc.constantFrom(3 as const, 4 as const) })
  .chain(({ width, height, channels }) =>
    fc.uint8Array({ minLength: width * height * channels, maxLength: width * height * channels }).map((data): RawPixels => ({ data, width, height, channels })),
  );

describe('dominantColours', () => {
  it('gives shares that sum to 1, largest first, at most `max` colours, valid hex', () => {
    fc.assert(
      fc.property(pixelsArb, fc.integer({ min: 1, max: 8 }), (pixels, max) => {
        const colours = dominantColours(pixels, { max });
        if (colours.length === 0) return; // every pixel transparent
        expect(colours.length).toBeLessThanOrEqual(max);
        expect(colours.reduce((sum, colour) => sum + colour.share, 0)).toBeCloseTo(1, 9);
        for (const colour of colours) {
          expect(colour.hex).toMatch(/^#[0-9a-f]{6}$/);
          expect(colour.share).toBeGreaterThanOrEqual(0);
        }
        // Ordered by share, allowing the rounding the largest one absorbs.
        for (let i = 2; i < colours.length; i += 1) expect(colours[i - 1]!.share).toBeGreaterThanOrEqual(colours[i]!.share);
      }),
      { numRuns: RUNS },
    );
  });

  it('is deterministic, and does not depend on the order of the pixels', () => {
    fc.assert(
      fc.property(pixelsArb, (pixels) => {
        const first = dominantColours(pixels);
        expect(dominantColours({ ...pixels, data: new Uint8Array(pixels.data) })).toEqual(first);
        // Reverse the pixel order (not the bytes within a pixel): the same multiset of colours.
        const n = pixels.channels;
        const reversed = new Uint8Array(pixels.data.length);
        for (let i = 0; i < pixels.data.length; i += n) reversed.set(pixels.data.subarray(i, i + n), pixels.data.length - i - n);
        expect(dominantColours({ ...pixels, data: reversed })).toEqual(first);
      }),
      { numRuns: RUNS },
    );
  });

  it('answers exactly the colour of a solid image, with share 1', () => {
    fc.assert(
      fc.property(rgb, fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 20 }), ([r, g, b], width, height) => {
        expect(dominantColours(image(width, height, () => [r, g, b, 255]))).toEqual([{ hex: hexOf(r, g, b), name: colourName(r, g, b), share: 1 }]);
      }),
      { numRuns: RUNS },
    );
  });

  it('ignores transparent pixels, whatever their colour', () => {
    fc.assert(
      fc.property(rgb, rgb, fc.integer({ min: 0, max: 127 }), ([r, g, b], hidden, alpha) => {
        const pixels = image(10, 10, (x) => (x < 3 ? [r, g, b, 255] : [...hidden, alpha]));
        expect(dominantColours(pixels)).toEqual([{ hex: hexOf(r, g, b), name: colourName(r, g, b), share: 1 }]);
      }),
      { numRuns: RUNS },
    );
    expect(dominantColours(image(4, 4, () => [255, 0, 0, 0]))).toEqual([]);
  });

  it('splits a two-colour image by area, and names the colours from the palette', () => {
    const pixels = image(10, 10, (x) => (x < 7 ? [27, 42, 74, 255] : [248, 248, 248, 255]));
    expect(dominantColours(pixels)).toEqual([
      { hex: '#1b2a4a', name: 'navy', share: 0.7 },
      { hex: '#f8f8f8', name: 'white', share: 0.3 },
    ]);
  });

  it('counts shades of one colour as one, and folds left-out colours into the nearest kept one', () => {
    const shades = image(10, 10, (x) => [200 + x, 20, 20, 255]);
    expect(dominantColours(shades)).toHaveLength(1);
    const many = image(6, 1, (x) => [[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 0], [0, 0, 0], [250, 5, 5]][x]!.concat(255) as [number, number, number, number]);
    const top = dominantColours(many, { max: 2 });
    expect(top).toHaveLength(2);
    expect(top.reduce((sum, colour) => sum + colour.share, 0)).toBeCloseTo(1, 9);
  });

  it('refuses a buffer that does not match its dimensions (a wiring bug, not user input)', () => {
    expect(() => dominantColours({ data: new Uint8Array(5), width: 2, height: 1, channels: 3 })).toThrow(RangeError);
  });

  it('names colours by the nearest palette entry in CIELAB', () => {
    expect(colourName(0, 0, 0)).toBe('black');
    expect(colourName(255, 255, 255)).toBe('white');
    expect(colourName(200, 30, 40)).toBe('red');
    expect(colourName(30, 40, 80)).toBe('navy');
    expect(rgbToLab(255, 255, 255)[0]).toBeCloseTo(100, 3);
  });
});

describe('image type sniffing', () => {
  it('recognises each format by its signature, and nothing else', () => {
    expect(sniffImageType(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffImageType(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(sniffImageType(new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
    expect(sniffImageType(Uint8Array.from([0, 0, 0, 0x1c, ...new TextEncoder().encode('ftypmif1'), 0, 0, 0, 0, ...new TextEncoder().encode('mif1avifmiaf')]))).toBe('image/avif');
    expect(sniffImageType(Uint8Array.from([0, 0, 0, 0x18, ...new TextEncoder().encode('ftypheic'), 0, 0, 0, 0, ...new TextEncoder().encode('mif1heic')]))).toBeUndefined();
    expect(sniffImageType(new TextEncoder().encode('GIF89a'))).toBeUndefined();
    expect(sniffImageType(new Uint8Array())).toBeUndefined();
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => void sniffImageType(bytes)), { numRuns: RUNS });
  });

  it('reads the declared type from a Content-Type header', () => {
    expect(declaredImageType('image/PNG; charset=binary')).toBe('image/png');
    expect(declaredImageType('image/jpg')).toBe('image/jpeg');
    expect(declaredImageType('image/gif')).toBeUndefined();
    expect(declaredImageType(undefined)).toBeUndefined();
  });
});

describe('offline metadata', () => {
  const garment = (width: number, height: number, colour: [number, number, number]) =>
    // The garment in the middle, a transparent margin around it (a cut-out).
    image(width + 4, height + 4, (x, y) => (x >= 2 && x < width + 2 && y >= 2 && y < height + 2 ? [...colour, 255] : [255, 255, 255, 0]));

  it('measures the garment, not the canvas', () => {
    const features = imageFeatures(garment(10, 30, [20, 20, 20]));
    expect(features.aspectRatio).toBe(3);
    expect(features.fill).toBe(1);
    expect(features.colours).toEqual([{ hex: '#141414', name: 'black', share: 1 }]);
  });

  it('guesses the category from the shape, colours from the pixels, with a low confidence', () => {
    const wide = offlineMetadata(imageFeatures(garment(30, 12, [248, 248, 248])));
    expect(wide).toMatchObject({ category: 'shoes', pattern: 'solid', material: 'unknown', seasons: ['spring', 'summer'], confidence: OFFLINE_CONFIDENCE });
    expect(wide.colours).toEqual([{ name: 'white', hex: '#f8f8f8' }]);
    expect(offlineMetadata(imageFeatures(garment(20, 20, [27, 42, 74])))).toMatchObject({ category: 'tops', seasons: ['autumn', 'winter'] });
    expect(offlineMetadata(imageFeatures(garment(10, 14, [27, 42, 74]))).category).toBe('bottoms');
    expect(offlineMetadata(imageFeatures(garment(10, 25, [27, 42, 74]))).category).toBe('dresses');
  });

  it('calls a two-colour garment colour-block and a busy one multicolour', () => {
    const split = image(10, 10, (x) => (x < 5 ? [200, 30, 40, 255] : [30, 40, 200, 255]));
    expect(offlineMetadata(imageFeatures(split)).pattern).toBe('colour-block');
    const stripes = image(9, 9, (x) => [[200, 30, 40], [30, 40, 200], [240, 220, 40]][x % 3]!.concat(255) as [number, number, number, number]);
    expect(offlineMetadata(imageFeatures(stripes)).pattern).toBe('multicolour');
  });

  it('keeps a model answer inside the contract', () => {
    const cleaned = cleanMetadata(
      {
        category: 'tops', subcategory: '  T-Shirt ', colours: [{ name: 'Navy', hex: '#1B2A4A' }, { name: 'bad', hex: 'blue' }], brand: '  Uniqlo ', pattern: 'solid', material: '',
        seasons: ['winter', 'spring', 'winter'], formality: 'casual', tags: ['Cotton', 'cotton', ' ', ...Array.from({ length: 20 }, (_, i) => `t${i}`)], aestheticTags: ['Minimalist', 'minimalist'], confidence: 7,
      },
      'gpt-4.1-mini',
    );
    expect(cleaned).toMatchObject({ subcategory: 't-shirt', colours: [{ name: 'navy', hex: '#1b2a4a' }], brand: 'Uniqlo', aestheticTags: ['minimalist'], material: 'unknown', seasons: ['spring', 'winter'], confidence: 1, model: 'gpt-4.1-mini' });
    expect(cleaned.tags).toHaveLength(10);
    expect(cleaned.tags[0]).toBe('cotton');
  });
});

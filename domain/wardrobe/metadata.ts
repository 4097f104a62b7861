/**
 * Clothing metadata: the answer's vocabulary, the JSON schema the model must answer with
 * (strict structured output: every field required, no extra fields), the clean-up of a model's
 * answer, and the offline guess, made from real statistics of the image.
 */
import { dominantColours, parseHex, rgbToLab, TRANSPARENT_ALPHA, type DominantColour, type RawPixels } from './colours.ts';

export const CATEGORIES = ['tops', 'bottoms', 'dresses', 'outerwear', 'shoes', 'bags', 'accessories', 'other'] as const;
export const PATTERNS = ['solid', 'striped', 'checked', 'floral', 'graphic', 'colour-block', 'multicolour', 'other'] as const;
export const SEASONS = ['spring', 'summer', 'autumn', 'winter'] as const;
export const FORMALITIES = ['casual', 'smart-casual', 'business', 'formal'] as const;

export type Category = (typeof CATEGORIES)[number];
export type Pattern = (typeof PATTERNS)[number];
export type Season = (typeof SEASONS)[number];
export type Formality = (typeof FORMALITIES)[number];

export interface MetadataColour {
  name: string;
  hex: string;
}

/** What the model is asked for. */
export interface ClothingMetadataAnswer {
  category: Category;
  subcategory: string;
  /** The clients' spelling (contract section 5), everywhere in the wardrobe. */
  colours: MetadataColour[];
  /** The brand when a label or logo shows it; empty when it cannot be seen. */
  brand: string;
  pattern: Pattern;
  material: string;
  seasons: Season[];
  formality: Formality;
  tags: string[];
  /** Style words (minimalist, streetwear, ...): the clients' aestheticTags. */
  aestheticTags: string[];
  /** 0-1. */
  confidence: number;
}

/** What the route answers: the model's answer, cleaned, and who gave it. */
export interface ClothingMetadata extends ClothingMetadataAnswer {
  model: string;
}

const stringArray = { type: 'array', items: { type: 'string' } };

/** Strict-mode compatible (OpenAI structured outputs): all properties required, closed objects. */
export const clothingMetadataSchema = {
  name: 'clothing_metadata',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['category', 'subcategory', 'colours', 'brand', 'pattern', 'material', 'seasons', 'formality', 'tags', 'aestheticTags', 'confidence'],
    properties: {
      category: { type: 'string', enum: [...CATEGORIES] },
      subcategory: { type: 'string', description: 'e.g. t-shirt, jeans, trainers' },
      colours: {
        type: 'array',
        description: 'Main colours, most dominant first',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'hex'],
          properties: { name: { type: 'string' }, hex: { type: 'string', description: '#rrggbb' } },
        },
      },
      brand: { type: 'string', description: 'The brand if a label or logo shows it, else ""' },
      pattern: { type: 'string', enum: [...PATTERNS] },
      material: { type: 'string', description: 'e.g. cotton, denim, wool, leather; "unknown" if unsure' },
      seasons: { type: 'array', items: { type: 'string', enum: [...SEASONS] } },
      formality: { type: 'string', enum: [...FORMALITIES] },
      tags: { ...stringArray, description: 'Short lowercase search tags' },
      aestheticTags: { ...stringArray, description: 'Style aesthetics, e.g. minimalist, streetwear, preppy, bohemian' },
      confidence: { type: 'number', description: '0 to 1' },
    },
  },
} as const;

export const METADATA_INSTRUCTIONS =
  'You catalogue clothes for a personal wardrobe app. Look at the photo of one garment or accessory and describe it ' +
  'with the given schema. Colours: the garment\'s own main colours (not the background), at most 5, as common names ' +
  'with #rrggbb hex. Brand: only when a label or logo shows it, else an empty string. Tags and aestheticTags: at most 10 each, ' +
  'short and lowercase. Confidence: how sure you are of the category, 0 to 1.';

const MAX_TAGS = 10;
const MAX_COLOURS = 5;
const clip = (text: string, max: number): string => text.trim().slice(0, max);

/** Keeps a model's answer inside the contract, whatever it sent within the schema. */
export function cleanMetadata(answer: ClothingMetadataAnswer, model: string): ClothingMetadata {
  const colours = answer.colours
    .map((colour) => ({ name: clip(colour.name, 40).toLowerCase(), hex: colour.hex.trim().toLowerCase() }))
    .filter((colour) => colour.name !== '' && /^#[0-9a-f]{6}$/.test(colour.hex))
    .slice(0, MAX_COLOURS);
  const words = (list: string[]) => [...new Set(list.map((tag) => clip(tag, 40).toLowerCase()).filter(Boolean))].slice(0, MAX_TAGS);
  const confidence = Number.isFinite(answer.confidence) ? Math.min(1, Math.max(0, answer.confidence)) : 0;
  return {
    category: answer.category,
    subcategory: clip(answer.subcategory, 60).toLowerCase() || 'unknown',
    colours,
    brand: clip(answer.brand, 60),
    pattern: answer.pattern,
    material: clip(answer.material, 60).toLowerCase() || 'unknown',
    seasons: SEASONS.filter((season) => answer.seasons.includes(season)),
    formality: answer.formality,
    tags: words(answer.tags),
    aestheticTags: words(answer.aestheticTags),
    confidence: Math.round(confidence * 100) / 100,
    model,
  };
}

/** Simple shape statistics of the garment: the bounding box of its opaque pixels. */
export interface ImageFeatures {
  /** Height / width of the garment's bounding box (of the whole image when nothing is transparent). */
  aspectRatio: number;
  /** Share of the bounding box the garment fills. */
  fill: number;
  colours: DominantColour[];
}

export function imageFeatures(pixels: RawPixels): ImageFeatures {
  const { data, width, height, channels } = pixels;
  let [left, top, right, bottom, opaque] = [width, height, -1, -1, 0];
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      if (channels === 4 && data[(y * width + x) * 4 + 3]! <= TRANSPARENT_ALPHA) continue;
      opaque += 1;
      left = Math.min(left, x);
      right = Math.max(right, x);
      top = Math.min(top, y);
      bottom = Math.max(bottom, y);
    }
  }
  if (opaque === 0) return { aspectRatio: height / Math.max(1, width), fill: 0, colours: [] };
  const boxWidth = right - left + 1;
  const boxHeight = bottom - top + 1;
  return { aspectRatio: boxHeight / boxWidth, fill: opaque / (boxWidth * boxHeight), colours: dominantColours(pixels) };
}

/** Shape rules of thumb, in order: the first whose aspect range holds wins. */
const SHAPES: readonly { below: number; category: Category; subcategory: string; formality: Formality }[] = [
  { below: 0.7, category: 'shoes', subcategory: 'shoes', formality: 'casual' },
  { below: 1.2, category: 'tops', subcategory: 't-shirt', formality: 'casual' },
  { below: 1.75, category: 'bottoms', subcategory: 'trousers', formality: 'casual' },
  { below: Infinity, category: 'dresses', subcategory: 'dress', formality: 'smart-casual' },
];

/** A guess from shape alone is a weak guess; say so. */
export const OFFLINE_CONFIDENCE = 0.25;

/**
 * The offline provider's answer: deterministic, and honest about what pixels can tell. Colours
 * are the image's real dominant colours; category comes from the garment's shape; pattern from
 * how the colours split; seasons from how light the main colour is. Material cannot be seen
 * in statistics: `unknown`.
 */
export function offlineMetadata(features: ImageFeatures): ClothingMetadataAnswer {
  const shape = SHAPES.find((entry) => features.aspectRatio < entry.below) ?? SHAPES[SHAPES.length - 1]!;
  const colours = features.colours;
  const main = colours[0];
  const significant = colours.filter((colour) => colour.share >= 0.15).length;
  const pattern: Pattern = !main || main.share >= 0.7 ? 'solid' : significant >= 3 ? 'multicolour' : 'colour-block';
  const lightness = main ? lightnessOf(main.hex) : 50;
  const seasons: Season[] = lightness < 35 ? ['autumn', 'winter'] : lightness > 70 ? ['spring', 'summer'] : ['spring', 'autumn'];
  const tags = [...new Set([shape.category, shape.subcategory, ...(main ? [main.name] : []), pattern])];
  return {
    category: shape.category,
    subcategory: shape.subcategory,
    colours: colours.map(({ name, hex }) => ({ name, hex })),
    // Neither a brand nor a style can be read from pixel statistics.
    brand: '',
    pattern,
    material: 'unknown',
    seasons,
    formality: shape.formality,
    tags,
    aestheticTags: [],
    confidence: OFFLINE_CONFIDENCE,
  };
}

function lightnessOf(hex: string): number {
  const [r, g, b] = parseHex(hex) ?? [128, 128, 128];
  return rgbToLab(r, g, b)[0];
}

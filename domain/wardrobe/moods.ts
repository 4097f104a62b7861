/**
 * Moods: the PluckIt style catalogue (contract section 7.6). Twelve primary moods, each with a
 * few named moods (`<primarymood-lower>-<slug>` ids); a mood's `trendScore` says how much of
 * what users added lately matches its keywords, newer items weighing more. Pure: the catalogue,
 * ids and the scoring; the seed route reads the items and stores the result.
 */

export const PRIMARY_MOODS = [
  'Minimalist', 'Maximalist', 'Romantic', 'Edgy', 'Preppy', 'Bohemian', 'Sporty', 'Classic', 'Streetwear', 'Coastal', 'Cottagecore', 'Dark Academia',
] as const;
export type PrimaryMood = (typeof PRIMARY_MOODS)[number];

export interface MoodDefinition {
  primaryMood: PrimaryMood;
  name: string;
  description: string;
  /** Lower-case words matched against an item's tags, aesthetic tags and category. */
  keywords: string[];
}

/** A stored mood, as GET /api/moods answers it. */
export interface MoodView extends MoodDefinition {
  id: string;
  trendScore: number;
  /** Items added within the seeding window that match the keywords. */
  itemCount: number;
  monthsBack: number;
  seededAt: string;
}

const slug = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** `<primarymood-lower>-<slug>`: "Dark Academia" / "Library Layers" is `dark-academia-library-layers`. */
export const moodId = (primaryMood: PrimaryMood, name: string) => `${slug(primaryMood)}-${slug(name)}`;

const def = (primaryMood: PrimaryMood, name: string, description: string, keywords: string): MoodDefinition => ({ primaryMood, name, description, keywords: keywords.split(' ') });

/** The built-in catalogue: what the seed scores. */
export const MOOD_CATALOGUE: readonly MoodDefinition[] = [
  def('Minimalist', 'Quiet Neutrals', 'Clean lines in white, grey, black and beige.', 'minimal minimalist neutral clean monochrome basic'),
  def('Minimalist', 'Capsule Essentials', 'Few pieces that all work together.', 'capsule essential staple basic tee'),
  def('Maximalist', 'Clash and Colour', 'Bold prints and colours worn together.', 'bold print colourful colorful pattern clash'),
  def('Maximalist', 'More Is More', 'Layers, texture and statement pieces.', 'statement sequin embellished layered texture'),
  def('Romantic', 'Soft Florals', 'Floral prints, lace and flowing shapes.', 'floral lace romantic ruffle flowy'),
  def('Romantic', 'Blush Tones', 'Pinks, creams and pastels.', 'pink pastel blush cream satin'),
  def('Edgy', 'Leather and Studs', 'Leather, hardware and dark tones.', 'leather stud edgy moto biker'),
  def('Edgy', 'Grunge Revival', 'Worn-in denim, plaid and boots.', 'grunge plaid distressed combat ripped'),
  def('Preppy', 'Ivy League', 'Blazers, knits and loafers.', 'preppy blazer cardigan loafer polo oxford'),
  def('Preppy', 'Tennis Club', 'Pleats, whites and polos.', 'tennis pleated polo white visor'),
  def('Bohemian', 'Festival Boho', 'Fringe, suede and loose layers.', 'boho bohemian fringe suede festival'),
  def('Bohemian', 'Earthy Layers', 'Earth tones, crochet and linen.', 'earthy crochet linen tassel peasant'),
  def('Sporty', 'Athleisure', 'Sportswear worn every day.', 'athleisure sporty legging hoodie sneaker jogger'),
  def('Sporty', 'Gorpcore', 'Outdoor technical wear in town.', 'gorpcore fleece outdoor technical hiking'),
  def('Classic', 'Timeless Tailoring', 'Tailored coats, trousers and shirts.', 'classic tailored trench coat trouser shirt'),
  def('Classic', 'Navy and Camel', 'The enduring navy, camel and white.', 'navy camel wool cashmere timeless'),
  def('Streetwear', 'Hype Drops', 'Graphic tees, hoodies and sneakers.', 'streetwear graphic hoodie sneaker logo'),
  def('Streetwear', 'Oversized Fits', 'Baggy cuts and cargo pants.', 'oversized baggy cargo wide skate'),
  def('Coastal', 'Coastal Grandmother', 'Linen, stripes and sea-washed blues.', 'coastal linen stripe breton nautical'),
  def('Coastal', 'Beach Club', 'Light fabrics for warm days.', 'beach resort sandal swim crochet'),
  def('Cottagecore', 'Country Garden', 'Prairie dresses and gingham.', 'cottagecore prairie gingham floral puff'),
  def('Cottagecore', 'Handmade Knits', 'Chunky knits and aprons.', 'knit knitted chunky handmade cardigan'),
  def('Dark Academia', 'Library Layers', 'Tweed, turtlenecks and brown leather.', 'academia tweed turtleneck brown plaid'),
  def('Dark Academia', 'Scholarly Noir', 'Black, burgundy and long coats.', 'black burgundy longcoat oxford vintage'),
];

/** What the scoring reads of an item. */
export interface MoodSignalItem {
  tags?: readonly string[];
  aestheticTags?: readonly string[];
  category?: string;
  /** When it was added (ISO); items without it are not dated and do not count. */
  dateAdded?: string;
}

const wordsOf = (item: MoodSignalItem) =>
  new Set([...(item.tags ?? []), ...(item.aestheticTags ?? []), item.category ?? ''].flatMap((text) => text.toLowerCase().split(/[^a-z0-9]+/)).filter(Boolean));

/**
 * Scores every catalogue mood from the items added in the last `monthsBack` months (30-day
 * months) before `now`: each matching item adds its recency weight (1 when added now, falling
 * linearly to 0 at the window's start). Three decimals, so equal inputs give equal scores.
 */
export function scoreMoods(items: Iterable<MoodSignalItem>, now: Date, monthsBack: number): { definition: MoodDefinition; trendScore: number; itemCount: number }[] {
  const windowMs = monthsBack * 30 * 86_400_000;
  const scores = MOOD_CATALOGUE.map((definition) => ({ definition, trendScore: 0, itemCount: 0 }));
  for (const item of items) {
    const added = item.dateAdded ? Date.parse(item.dateAdded) : NaN;
    const age = now.getTime() - added;
    if (!(age >= 0 && age <= windowMs)) continue;
    const weight = 1 - age / windowMs;
    const words = wordsOf(item);
    for (const score of scores) {
      if (score.definition.keywords.some((keyword) => words.has(keyword))) {
        score.trendScore += weight;
        score.itemCount += 1;
      }
    }
  }
  return scores.map((score) => ({ ...score, trendScore: Math.round(score.trendScore * 1000) / 1000 }));
}

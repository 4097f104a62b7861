/**
 * The wardrobe's settings, read once at bind time: each area's own, under its name, so a route
 * reads `deps.settings.chat`. A bad value in any area stops start-up, naming the variable.
 */
import type { Env } from '../../kernel/env.ts';
import { loadOidcSettings } from '../../middleware/auth/settings.ts';
import { loadChatSettings, type ChatSettings } from './chat/settings.ts';
import { loadDigestSettings, type DigestSettings } from './digest/settings.ts';
import { DRAFT_VARIABLES, loadDraftSettings, type DraftSettings } from './drafts/settings.ts';
import { checkMetadataEntraSettings, loadMediaSettings, type MediaSettings } from './media/settings.ts';
import { loadScraperSettings, type ScraperSettings } from './scraper/settings.ts';
import { loadTasteSettings, type TasteSettings } from './taste/settings.ts';

export interface WardrobeSettings {
  media: MediaSettings;
  drafts: DraftSettings;
  chat: ChatSettings;
  taste: TasteSettings;
  digest: DigestSettings;
  scraper: ScraperSettings;
}

export const WARDROBE_VARIABLES = [
  'ARCHIVE_CONTAINER_NAME', 'WARDROBE_IMAGES_CONTAINER_NAME', 'WARDROBE_IMAGE_URL_TTL_SECONDS', 'WARDROBE_IMAGE_MAX_PIXELS',
  'METADATA_EXTRACT_AUTH_MODE', 'METADATA_EXTRACT_API_KEY', 'METADATA_EXTRACT_AZURE_AD_AUDIENCE', 'METADATA_EXTRACT_AZURE_AD_ISSUER',
  ...DRAFT_VARIABLES,
  'CHAT_MAX_MESSAGE_CHARS', 'CHAT_MAX_OUTPUT_TOKENS', 'CHAT_PROMPT_TOKEN_BUDGET', 'CHAT_HISTORY_TURNS', 'CHAT_SUMMARY_MAX_ITEMS',
  'CHAT_MAX_STREAMS_PER_USER', 'CHAT_STREAM_MAX_SECONDS', 'CHAT_HEARTBEAT_SECONDS',
  'TASTE_JOB_QUEUE_NAME', 'TASTE_JOB_DEAD_LETTER_QUEUE_NAME', 'TASTE_JOB_PROFILE_UPDATE_MAX_RETRIES',
  'COSMOS_DB_TASTE_JOBS_CONTAINER', 'COSMOS_DB_TASTE_JOB_DEAD_LETTER_CONTAINER',
  'WEEKLY_DIGEST_MAX_CONCURRENCY',
  'SCRAPER_MAX_CONCURRENCY', 'SCRAPER_TIMEOUT_MS', 'SCRAPER_MAX_BYTES', 'SCRAPER_MAX_REDIRECTS', 'SCRAPER_ALLOW_LOOPBACK',
  'SCRAPER_MAX_PRODUCTS_PER_RUN', 'SCRAPER_REDDIT_SUBREDDITS',
] as const;

export function loadWardrobeSettings(env: Env): WardrobeSettings {
  checkMetadataEntraSettings(env, loadOidcSettings(env));
  return {
    media: loadMediaSettings(env),
    drafts: loadDraftSettings(env),
    chat: loadChatSettings(env),
    taste: loadTasteSettings(env),
    digest: loadDigestSettings(env),
    scraper: loadScraperSettings(env),
  };
}

/**
 * The wardrobe's settings that its areas otherwise read on first use, checked at start-up so
 * that a bad value stops the app instead of failing the first request. (The taste and digest
 * settings are read when the function table loads, which is already start-up.)
 */
import type { Env } from '../../kernel/env.ts';
import type { OidcSettings } from '../../middleware/auth/settings.ts';
import { loadChatSettings } from './chat/settings.ts';
import { checkMetadataEntraSettings, loadMediaSettings } from './media/settings.ts';

export function validateWardrobeSettings(env: Env, oidc: OidcSettings | undefined): void {
  loadMediaSettings(env);
  checkMetadataEntraSettings(env, oidc);
  loadChatSettings(env);
}

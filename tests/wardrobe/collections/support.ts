/**
 * The wardrobe app through the composition root on a given document store (the Cosmos emulator
 * in these tests): the real manifests, `bind`, the HTTP stack and Portico's own tokens. Items are
 * seeded straight into `wardrobe-items` as `StoredClothingItem` documents, the shape every area
 * reads, so these tests do not depend on the items routes.
 */
import { randomUUID } from 'node:crypto';
import type { HttpLambda } from '../../../kernel/functions.ts';
import type { LanguageModel } from '../../../domain/ai.ts';
import type { Document, DocumentStore } from '../../../domain/ports.ts';
import type { StoredClothingItem } from '../../../domain/wardrobe/clothing-item.ts';
import wardrobe from '../../../handlers/wardrobe/index.ts';
import { itemsContainer } from '../../../handlers/wardrobe/items/store.ts';
import { call } from '../../identity/support.ts';
import { testApp } from '../../support/app.ts';

export interface Request {
  method: string;
  path: string;
  /** A user id to sign in as (a Portico access token is issued for it), or none. */
  as?: string;
  body?: unknown;
  rawBody?: string;
  query?: string;
  headers?: Record<string, string>;
  pathParameters?: Record<string, string>;
}

export function wardrobeApp(documents: DocumentStore, options: { emails?: Record<string, string>; names?: Record<string, string>; model?: LanguageModel } = {}) {
  // Real ids: a collection is its own partition, and every test shares the database.
  const t = testApp({ services: [wardrobe], ports: { documents, ids: { next: () => randomUUID().replace(/-/g, '') }, ...(options.model ? { model: options.model } : {}) } });
  const tokens = new Map<string, string>();
  async function token(userId: string): Promise<string> {
    if (!tokens.has(userId)) {
      const email = options.emails?.[userId];
      const name = options.names?.[userId];
      tokens.set(userId, (await t.ports.auth.tokens.issueAccessToken({ userId, ...(email ? { email } : {}), ...(name ? { name } : {}) })).accessToken);
    }
    return tokens.get(userId)!;
  }
  async function request(name: string, init: Request) {
    const handler = await t.handler<HttpLambda>(name);
    const body = init.rawBody ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
    const headers = {
      ...(init.as ? { authorization: `Bearer ${await token(init.as)}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...init.headers,
    };
    return call(
      async (event, context) => handler({ ...event, ...(init.pathParameters ? { pathParameters: init.pathParameters } : {}) }, context),
      { method: init.method, path: init.path, headers, ...(body !== undefined ? { body } : {}), ...(init.query ? { query: init.query } : {}) },
    );
  }
  let seeded = 0;
  /** A finalised item of `userId` unless `fields` says otherwise (e.g. a `draftStatus`). */
  async function seedItem(userId: string, fields: Partial<StoredClothingItem> = {}): Promise<string> {
    const id = fields.id ?? `item-${userId}-${++seeded}`;
    const item: StoredClothingItem & Document = { id, userId, tags: [], colours: [], wearCount: 0, isWishlisted: false, ...fields };
    await documents.repository<StoredClothingItem & Document>(itemsContainer).create(item);
    return id;
  }
  return { ...t, request, token, seedItem };
}

/** `yyyy-MM-ddTHH:mm:ssZ`, as the iOS decoder needs. */
export const ISO_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

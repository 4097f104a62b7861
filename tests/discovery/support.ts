/**
 * The discovery routes through the real composition root and HTTP stack on memory ports, with
 * scripted providers: each source answers its places, fails with a ProviderError, or hangs
 * (ignoring its signal) until released; every call is counted.
 */
import discovery from '../../handlers/discovery/index.ts';
import { ProviderError, type DiscoveryProviders, type Geocoder, type PlaceSource, type ProviderFailure, type SourceQuery } from '../../domain/discovery/ports.ts';
import type { RawPlace, Source, UserLocation } from '../../domain/discovery/types.ts';
import type { DocumentStore } from '../../domain/ports.ts';
import type { Env } from '../../kernel/env.ts';
import type { HttpLambda } from '../../kernel/functions.ts';
import type { Ports } from '../../app/ports.ts';
import { isStreamingResult } from '../../middleware/sse.ts';
import { eventsOf, parseFrames, readAll, type Frame } from '../streaming/frames.ts';
import { testApp } from '../support/app.ts';
import { asUser, httpEvent, lambdaContext, testPlatform, type EventInit } from '../support/platform.ts';

export type Behaviour = { places: RawPlace[] } | { fail: ProviderFailure; status?: number } | { hang: Promise<void> };

export interface ScriptedSource extends PlaceSource {
  calls: SourceQuery[];
  behaviour: Behaviour;
}

export function scriptedSource(source: Source, provider: string, places: RawPlace[]): ScriptedSource {
  const scripted: ScriptedSource = {
    source,
    provider,
    calls: [],
    behaviour: { places },
    async search(query) {
      scripted.calls.push(query);
      const behaviour = scripted.behaviour;
      if ('hang' in behaviour) {
        await behaviour.hang; // deliberately deaf to its signal: the deadline must not wait for it
        return [];
      }
      if ('fail' in behaviour) throw new ProviderError(behaviour.fail, provider, `${provider} failed`, behaviour.status);
      return behaviour.places;
    },
  };
  return scripted;
}

export const PIKEVILLE: UserLocation = { normalized: 'Pikeville, Kentucky, United States', confidence: 0.9, coordinates: { lat: 37.4793, lng: -82.5188 } };

export const place = (source: Source, name: string, description: string, url: string, extra: Partial<RawPlace> = {}): RawPlace => ({ source, name, description, url, ...extra });

/** A provider set with one scripted source per kind and a geocoder that knows Pikeville. */
export function scriptedProviders() {
  const geocodes: string[] = [];
  const geocoder: Geocoder = {
    provider: 'scripted-geocoder',
    geocode: async (raw) => {
      geocodes.push(raw);
      return /pikeville/i.test(raw) ? PIKEVILLE : { normalized: raw, confidence: 0.5, coordinates: null };
    },
  };
  const serp = scriptedSource('serp', 'serpapi', [
    place('serp', 'The Hidden Gem Speakeasy', 'A secret underground bar locals love in Pikeville', 'https://example.com/speakeasy', { coordinates: { lat: 37.48, lng: -82.52 } }),
    place('serp', 'Chain Hotel Lobby', 'Rooms and parking', 'https://example.com/hotel'),
  ]);
  const reddit = scriptedSource('reddit', 'reddit', [
    place('reddit', 'Quirky Pikeville museum of odd things', 'Hidden gems thread: a weird, unique local museum', 'https://www.reddit.com/r/kentucky/comments/abc/museum/', { upvotes: 250 }),
  ]);
  const eventbrite = scriptedSource('eventbrite', 'eventbrite', [
    place('eventbrite', 'Indie Music Night', 'Local indie bands in a dive bar basement', 'https://www.eventbrite.com/e/indie-night-123', { coordinates: { lat: 37.9, lng: -82.9 } }),
  ]);
  const providers: DiscoveryProviders = { geocoder, sources: [serp, reddit, eventbrite], sampleData: false, signature: 'scripted' };
  return { providers, serp, reddit, eventbrite, geocodes };
}

export interface Reply {
  statusCode: number;
  headers: Record<string, string>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- replies are read loosely; the assertions are the check
  json?: Record<string, any>;
  events?: Frame[];
}

/** Calls a bound route with an API Gateway event: its JSON body, or its stream read to the end as events. */
export async function call(handler: HttpLambda, init: EventInit): Promise<Reply> {
  const result: unknown = await handler(httpEvent(init), lambdaContext());
  const { statusCode, headers } = result as { statusCode: number; headers: Record<string, string> };
  if (isStreamingResult(result)) return { statusCode, headers, events: eventsOf(parseFrames(await readAll(result.body))) };
  const body = (result as { body?: string }).body;
  return { statusCode, headers, ...(body ? { json: JSON.parse(body) as Record<string, unknown> } : {}) };
}

/** The three routes' requests, on bound handlers. */
export function routeCalls(handlers: { search: HttpLambda; chat: HttpLambda; health: HttpLambda }) {
  return {
    search: (body: unknown, headers: Record<string, string> = {}) =>
      call(handlers.search, { method: 'POST', path: '/api/underfoot/search', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }),
    chat: (query: Record<string, string>, headers: Record<string, string> = {}) => call(handlers.chat, { method: 'GET', path: '/api/underfoot/chat', headers, query: new URLSearchParams(query).toString() }),
    health: () => call(handlers.health, { method: 'GET', path: '/api/underfoot/health' }),
  };
}

export interface SetupOptions {
  env?: Env;
  documents?: DocumentStore;
  providers?: ReturnType<typeof scriptedProviders>;
  ports?: Partial<Ports>;
}

export async function setup(options: SetupOptions = {}) {
  const scripted = options.providers ?? scriptedProviders();
  const app = testApp({
    services: [discovery],
    env: { DISCOVERY_DEADLINE_MS: '400', ...options.env },
    ports: {
      platform: testPlatform({ authenticate: asUser }),
      discoveryProviders: async () => scripted.providers,
      ...(options.documents ? { documents: options.documents } : {}),
      ...options.ports,
    },
  });
  const handlers = {
    search: await app.handler<HttpLambda>('discovery-search'),
    chat: await app.handler<HttpLambda>('discovery-chat'),
    health: await app.handler<HttpLambda>('discovery-health'),
  };

  return { ...scripted, app, handlers, ...routeCalls(handlers), call, documents: app.ports.documents };
}

/**
 * The diagnose routes through the real HTTP stack on memory ports: memory documents and metrics,
 * the real sharp images adapter, and a language model chosen by the test (the offline one by
 * default, wrapped as the app wraps it). Vehicles and mods are written directly, as the vehicle
 * routes (another area) would store them.
 */
import sharp from 'sharp';
import { MemoryDocumentStore } from '../../../adapters/memory/documents.ts';
import { MemoryMetrics } from '../../../adapters/memory/metrics.ts';
import { OfflineLanguageModel } from '../../../adapters/ai/offline-model.ts';
import { ObservedLanguageModel } from '../../../adapters/ai/observed-model.ts';
import { SharpImages } from '../../../adapters/images/sharp-images.ts';
import type { LanguageModel } from '../../../domain/ai.ts';
import type { Document } from '../../../domain/ports.ts';
import * as routes from '../../../handlers/garage/diagnose/diagnose.routes.ts';
import * as defs from '../../../handlers/garage/diagnose/functions.ts';
import { loadDiagnoseSettings, type DiagnoseSettings } from '../../../handlers/garage/diagnose/settings.ts';
import { garageContainers, modsContainer, SCHEMA_VERSIONS, vehiclesContainer, type ModDoc, type VehicleDoc } from '../../../handlers/garage/store.ts';
import { httpHandler } from '../../../middleware/http-stack.ts';
import { isStreamingResult } from '../../../middleware/sse.ts';
import { eventsOf, parseFrames, readAll, type Frame } from '../../streaming/frames.ts';
import { testClock } from '../../support/jobs.ts';
import { asUser, httpEvent, lambdaContext, testPlatform } from '../../support/platform.ts';

export interface Reply {
  statusCode: number;
  headers: Record<string, string>;
  json?: Record<string, unknown>;
  events?: Frame[];
}

export function setup(options: { model?: LanguageModel; settings?: Partial<DiagnoseSettings> } = {}) {
  const clock = testClock();
  const documents = new MemoryDocumentStore(clock);
  const metrics = new MemoryMetrics(clock);
  let id = 0;
  const deps: routes.DiagnoseDeps = {
    documents,
    clock,
    metrics,
    ids: { next: () => `id-${++id}` },
    model: options.model ?? new ObservedLanguageModel(new OfflineLanguageModel(), []),
    images: (imageOptions) => new SharpImages(imageOptions),
    settings: { diagnose: { ...loadDiagnoseSettings({}), ...options.settings } },
  };
  const platform = testPlatform({ authenticate: asUser });
  const http = {
    legacy: httpHandler(defs.diagnoseLegacy, routes.diagnoseLegacy(deps), platform),
    v2: httpHandler(defs.diagnoseV2, routes.diagnoseV2(deps), platform),
  };

  async function call(route: 'legacy' | 'v2', user: string, body: { json?: unknown; multipart?: FormData; raw?: string; contentType?: string }, accept?: string): Promise<Reply> {
    const headers: Record<string, string> = { authorization: `Bearer user:${user}`, ...(accept ? { accept } : {}) };
    let text: string;
    let isBase64Encoded = false;
    if (body.multipart) {
      const request = new Request('http://x/', { method: 'POST', body: body.multipart });
      headers['content-type'] = request.headers.get('content-type')!;
      text = Buffer.from(await request.arrayBuffer()).toString('base64');
      isBase64Encoded = true;
    } else {
      headers['content-type'] = body.contentType ?? 'application/json';
      text = body.raw ?? JSON.stringify(body.json);
    }
    const path = route === 'legacy' ? '/api/Diagnose' : '/api/diagnose2';
    const result: unknown = await http[route](httpEvent({ method: 'POST', path, headers, body: text, isBase64Encoded }), lambdaContext());
    const { statusCode, headers: out } = result as Reply;
    if (isStreamingResult(result)) return { statusCode, headers: out, events: eventsOf(parseFrames(await readAll(result.body))) };
    const raw = (result as { body?: string }).body;
    return { statusCode, headers: out, ...(raw ? { json: JSON.parse(raw) as Record<string, unknown> } : {}) };
  }

  async function addVehicle(userId: string, vehicle: Partial<VehicleDoc> = {}, mods: string[] = []): Promise<string> {
    const now = clock.now().toISOString();
    const vehicleId = `veh-${++id}`;
    await documents.repository<VehicleDoc>(vehiclesContainer).create({
      id: vehicleId, userId, schemaVersion: SCHEMA_VERSIONS['garage-vehicles'], createdAt: now, updatedAt: now,
      make: 'Honda', model: 'Civic', year: '1998', trim: null, vin: null, vinKey: null, mileage: null, nickname: null, image: null, ...vehicle,
    });
    for (const name of mods) {
      await documents.repository<ModDoc>(modsContainer).create({
        id: `mod-${++id}`, userId, schemaVersion: SCHEMA_VERSIONS['garage-mods'], createdAt: now, updatedAt: now, vehicleId, name, description: `${name} installed`, installedOn: null,
      });
    }
    return vehicleId;
  }

  /** Every document of the conversation and message containers. */
  async function stored(): Promise<Record<string, Document[]>> {
    const all: Record<string, Document[]> = {};
    for (const spec of garageContainers.filter((c) => c.name === 'garage-conversations' || c.name === 'garage-messages')) {
      all[spec.name] = (await documents.repository(spec).query({ limit: 1000 })).items;
    }
    return all;
  }

  return { clock, documents, metrics, deps, call, addVehicle, stored };
}

export const pngBytes = async (): Promise<Buffer> =>
  sharp({ create: { width: 32, height: 24, channels: 3, background: { r: 200, g: 30, b: 30 } } }).png().toBuffer();

/** A PCM WAV file: `seconds` of silence at 8 kHz, 16-bit mono (16 000 bytes a second). */
export function wavBytes(seconds: number): Buffer {
  const data = Math.round(seconds * 16_000);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(16_000, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data, 40);
  return Buffer.concat([header, Buffer.alloc(data)]);
}

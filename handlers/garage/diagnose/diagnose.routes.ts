/**
 * The diagnose routes (see functions.ts). Both read the question and attachments (input.ts),
 * check the vehicle and session are the caller's (404 otherwise), normalise the image with the
 * images port and transcribe the audio, then ask the model with the conversation's recent
 * messages inside a token budget. v2 also requires a vehicle, sends its make, model, year and
 * mods, enforces the monthly and per-conversation limits (402), and streams with
 * `Accept: text/event-stream`. A turn is stored only once its answer is complete.
 */
import { badRequest } from '../../../domain/errors.ts';
import { ModelError, type ChatImage, type LanguageModel, type ModelUsage } from '../../../domain/ai.ts';
import { admitImage } from '../../../domain/image-admission.ts';
import { cleanTitle, offlineDiagnosis, offlineTitle, systemMessages, TITLE_INSTRUCTIONS, titleSchema, userText, type VehicleFacts } from '../../../domain/garage/diagnose.ts';
import type { Metrics } from '../../../domain/metrics.ts';
import type { Clock, DocumentStore, IdSource } from '../../../domain/ports.ts';
import { fitHistory } from '../../../domain/prompt-budget.ts';
import type { ImageProcessor } from '../../../domain/wardrobe/media.ts';
import type { PorticoContext, PorticoHttpEvent } from '../../../middleware/context.ts';
import { json, type PorticoHttpHandler } from '../../../middleware/http-stack.ts';
import { ownerOf } from '../../../middleware/resources.ts';
import { sseResponse, type SseEvent } from '../../../middleware/sse.ts';
import { callTrace } from '../../../middleware/trace-context.ts';
import type { AttachmentInfo } from '../store.ts';
import { readDiagnoseInput, type DiagnoseInput } from './input.ts';
import { diagnoseMetrics, outcomeOf, type DiagnoseRoute } from './metrics.ts';
import type { DiagnoseSettings } from './settings.ts';
import { createTurns } from './turns.ts';

export interface DiagnoseDeps {
  documents: DocumentStore;
  clock: Clock;
  ids: IdSource;
  model: LanguageModel;
  metrics: Metrics;
  images(options: { maxInputPixels: number }): ImageProcessor;
  settings: { diagnose: DiagnoseSettings };
}

/** What the model is shown of an image: enough to read a gauge or a part number, bounded in tokens. */
const MODEL_IMAGE_EDGE = 1536;

interface Prepared {
  userId: string;
  conversationId: string;
  conversation: Awaited<ReturnType<ReturnType<typeof createTurns>['conversation']>> | undefined;
  vehicleId: string | null;
  vehicle: VehicleFacts | undefined;
  messages: Parameters<LanguageModel['stream']>[0]['messages'];
  question: { text: string; attachments: AttachmentInfo[]; transcript: string | null; at: Date };
  offline: () => string;
  input: DiagnoseInput;
}

function diagnose(deps: DiagnoseDeps, route: DiagnoseRoute) {
  const settings = deps.settings.diagnose;
  const images = deps.images({ maxInputPixels: settings.imageMaxPixels });
  const turns = createTurns(deps);
  const metrics = diagnoseMetrics(deps.metrics);
  const limits = route === 'v2' ? settings : undefined;

  const countTokens = (model: string, usage: ModelUsage, offline: boolean) => {
    // Offline estimates are not OpenAI's tokens; the platform's portico.ai.tokens counts those.
    if (!offline) metrics.tokens(model, usage);
  };

  async function transcribe(input: DiagnoseInput, userId: string, context: PorticoContext): Promise<string | null> {
    if (!input.audio) return null;
    if (!deps.model.transcribe) throw new ModelError('unavailable', { message: 'The language model cannot transcribe audio.' });
    const result = await deps.model.transcribe({ task: 'garage.diagnose.transcribe', audio: input.audio.bytes, contentType: input.audio.info.contentType, userId, ...callTrace(context) });
    return result.text;
  }

  /** Every check that can refuse, then the prompt. Nothing is stored here. */
  async function prepare(event: PorticoHttpEvent, context: PorticoContext): Promise<Prepared> {
    const userId = ownerOf(context);
    const at = deps.clock.now();
    const input = await readDiagnoseInput(event, settings);
    if (route === 'v2' && !input.vehicleId) throw badRequest('vehicle_required', 'vehicle_id is required.');
    const conversation = input.sessionId ? await turns.conversation(userId, input.sessionId) : undefined;
    const vehicleId = input.vehicleId ?? conversation?.vehicleId ?? null;
    if (conversation?.vehicleId && input.vehicleId && conversation.vehicleId !== input.vehicleId) {
      throw badRequest('vehicle_mismatch', 'This conversation is about another vehicle.');
    }
    const vehicle = vehicleId ? (await turns.vehicle(userId, vehicleId)).facts : undefined;
    if (limits) await turns.checkLimits(userId, conversation, limits);
    let image: ChatImage | undefined;
    const attachments: AttachmentInfo[] = [];
    if (input.image) {
      const info = await admitImage(images, input.image, undefined);
      const shown = await images.toWebp(input.image, { maxEdge: MODEL_IMAGE_EDGE });
      image = { mediaType: 'image/webp', base64: Buffer.from(shown.bytes).toString('base64') };
      attachments.push({ kind: 'image', contentType: info.format, bytes: input.image.byteLength });
    }
    if (input.audio) attachments.push({ kind: 'audio', contentType: input.audio.info.contentType, bytes: input.audio.bytes.byteLength, durationSeconds: input.audio.info.durationSeconds });
    const transcript = await transcribe(input, userId, context);
    const text = userText(input.question, transcript);
    const newest = { role: 'user' as const, content: text, ...(image ? { images: [image] } : {}) };
    const system = systemMessages(vehicle);
    const history = conversation ? await turns.history(userId, conversation.id, settings.historyMessages) : [];
    const fitted = fitHistory([...system, newest], history, settings.promptTokenBudget);
    const offline = () => offlineDiagnosis({ question: input.question, vehicle, image: Boolean(image), audio: input.audio ? { durationSeconds: input.audio.info.durationSeconds } : null });
    return {
      userId, conversation, vehicleId, vehicle, input, offline,
      conversationId: conversation?.id ?? deps.ids.next(),
      messages: [...system, ...fitted.kept, newest],
      question: { text, attachments, transcript, at },
    };
  }

  /** A new conversation's title from the model; the deterministic one if that call fails. */
  async function title(prepared: Prepared, context: PorticoContext): Promise<string> {
    const seed = prepared.question.text || 'Diagnostics';
    try {
      const result = await deps.model.structured<{ title: string }>({
        task: 'garage.diagnose.title',
        messages: [{ role: 'system', content: TITLE_INSTRUCTIONS }, { role: 'user', content: seed.slice(0, 1000) }],
        schema: titleSchema as unknown as { name: string; schema: Record<string, unknown> },
        maxOutputTokens: 32,
        userId: prepared.userId,
        ...callTrace(context),
        offline: () => ({ title: offlineTitle(prepared.input.question, prepared.vehicle) }),
      });
      countTokens(result.model, result.usage, result.offline);
      return cleanTitle(result.value.title);
    } catch (error) {
      context.log.warn({ err: error }, 'diagnose title failed; using the deterministic one');
      return offlineTitle(prepared.input.question, prepared.vehicle);
    }
  }

  /** The answer's deltas; the caller stores the turn after the last one. */
  async function* answer(prepared: Prepared, context: PorticoContext, signal?: AbortSignal): AsyncGenerator<string, void> {
    let done = false;
    for await (const chunk of deps.model.stream({
      task: 'garage.diagnose',
      messages: prepared.messages,
      maxOutputTokens: settings.maxOutputTokens,
      userId: prepared.userId,
      ...(signal ? { signal } : {}),
      ...callTrace(context),
      offline: prepared.offline,
    })) {
      if (chunk.type === 'done') {
        done = true;
        countTokens(chunk.model, chunk.usage, chunk.offline);
      } else if (chunk.text) {
        yield chunk.text;
      }
    }
    if (!done) throw new ModelError('unavailable', { message: 'The language model stopped without finishing its answer.' });
  }

  async function finish(prepared: Prepared, text: string, context: PorticoContext): Promise<void> {
    const conversationTitle = prepared.conversation ? prepared.conversation.title : await title(prepared, context);
    await turns.store(
      {
        userId: prepared.userId, conversation: prepared.conversation, conversationId: prepared.conversationId, route, vehicleId: prepared.vehicleId,
        title: conversationTitle, question: prepared.question, answer: { text, at: deps.clock.now() },
      },
      limits,
    );
  }

  const handler: PorticoHttpHandler = async (event, context) => {
    const started = performance.now();
    const record = (outcome: string) => metrics.duration(performance.now() - started, route, outcome);
    let prepared: Prepared;
    try {
      prepared = await prepare(event, context);
    } catch (error) {
      record(outcomeOf(error));
      throw error;
    }
    const streaming = route === 'v2' && /\btext\/event-stream\b/i.test(event.headers?.accept ?? '');
    if (!streaming) {
      try {
        let text = '';
        for await (const delta of answer(prepared, context)) text += delta;
        await finish(prepared, text, context);
        record('ok');
        return json(200, { answer: text, session_id: prepared.conversationId });
      } catch (error) {
        record(outcomeOf(error));
        throw error;
      }
    }
    async function* produce(signal: AbortSignal): AsyncIterable<SseEvent> {
      let outcome = 'aborted';
      try {
        let text = '';
        for await (const delta of answer(prepared, context, signal)) {
          text += delta;
          yield { event: 'token', data: { text: delta } };
        }
        await finish(prepared, text, context);
        outcome = 'ok';
        yield { event: 'done', data: { session_id: prepared.conversationId } };
      } catch (error) {
        outcome = outcomeOf(error);
        throw error; // written in band by sseResponse
      } finally {
        record(outcome);
      }
    }
    return sseResponse(produce, { heartbeatMs: settings.heartbeatSeconds * 1000, maxDurationMs: settings.streamMaxSeconds * 1000, log: context.log });
  };
  return handler;
}

/** POST /api/Diagnose (also /api/diagnose): the legacy route; a vehicle is optional, no limits, never streamed. */
export const diagnoseLegacy = (deps: DiagnoseDeps): PorticoHttpHandler => diagnose(deps, 'legacy');

/** POST /api/diagnose2: a vehicle is required, the limits hold, and it streams on request. */
export const diagnoseV2 = (deps: DiagnoseDeps): PorticoHttpHandler => diagnose(deps, 'v2');


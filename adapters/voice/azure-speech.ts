/**
 * Azure AI Speech behind the voice provider port, over REST with fetch (no SDK: the Speech SDK is
 * large and native, and four calls do not need it).
 *
 * Training is the personal voice API (custom voice, api-version 2024-02-01-preview). Each voice
 * gets its own project, consent and personal voice, all named `portico-<uuid>`:
 *   PUT  customvoice/projects/{id}        {kind: PersonalVoice}
 *   POST customvoice/consents/{id}        multipart: projectId, voiceTalentName, companyName, locale, audiodata
 *   POST customvoice/personalvoices/{id}  multipart: projectId, consentId, audiodata (one part per sample)
 *   GET  customvoice/personalvoices/{id}  status NotStarted | Running | Succeeded | Failed
 * and deleting a voice deletes all three (the consent is a recording of the user's voice too).
 *
 * Consent: Azure wants a recording of the user speaking its consent statement (naming the user
 * and AZURE_SPEECH_COMPANY_NAME), and checks it against the samples. Enrollment takes it as
 * `consent.recording_sample_id` (an uploaded sample of the speaker reading the statement); a
 * voice enrolled without one sends its FIRST sample instead, which Azure accepts only if that
 * sample is the user reading the statement. We do not poll the consent's own operation; as documented, a consent Azure refuses
 * makes the personal voice fail, which the training monitor then reports. (Paths, field names
 * and statuses follow Microsoft's REST reference and how-to pages; not run against a live
 * resource from here.)
 *
 * Synthesis is neural TTS (`POST {region}.tts.speech.microsoft.com/cognitiveservices/v1`) with
 * SSML naming the base model (`DragonLatestNeural`) and the voice's `speakerProfileId`, which the
 * provider voice id carries (`portico-<uuid>.<speakerProfileId>`), so synthesis needs no lookup.
 */
import { randomUUID } from 'node:crypto';
import type { AudioProcessor } from '../../domain/voice/audio.ts';
import {
  VoiceProviderError,
  type SynthesisFormat,
  type SynthesizedAudio,
  type TrainingState,
  type VoiceProvider,
  type VoiceProviderSettings,
} from '../../domain/voice/provider.ts';
import { callFailure, deadline, measuredAudio, statusFailure } from './remote.ts';

export type AzureSpeechOptions = Omit<Extract<VoiceProviderSettings, { provider: 'azure-speech' }>, 'provider'> & { audio: AudioProcessor };

const API_VERSION = '2024-02-01-preview';
const VOICE_ID = /^(portico-[0-9a-f-]{36})\.([0-9a-fA-F-]{36})$/;

/** Azure's names for the port's formats: 24 kHz mono, the base model's native rate. */
export const OUTPUT_FORMATS: Readonly<Record<SynthesisFormat, string>> = {
  wav: 'riff-24khz-16bit-mono-pcm',
  mp3: 'audio-24khz-48kbitrate-mono-mp3',
  opus: 'ogg-24khz-16bit-mono-opus',
};

const XML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
export const escapeXml = (text: string): string => text.replace(/[&<>"']/g, (char) => XML_ESCAPES[char]!);

/** `speed` 1.5 as `+50%`: a relative prosody rate. */
const rate = (speed: number) => `${speed >= 1 ? '+' : '-'}${Math.round(Math.abs(speed - 1) * 100)}%`;

export function ssml(request: { text: string; speakerProfileId: string; baseModel: string; locale: string; speed?: number }): string {
  const text = escapeXml(request.text);
  const spoken = request.speed === undefined || request.speed === 1 ? text : `<prosody rate="${rate(request.speed)}">${text}</prosody>`;
  return (
    `<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" xmlns:mstts="http://www.w3.org/2001/mstts" xml:lang="${escapeXml(request.locale)}">` +
    `<voice name="${escapeXml(request.baseModel)}"><mstts:ttsembedding speakerProfileId="${escapeXml(request.speakerProfileId)}">${spoken}</mstts:ttsembedding></voice></speak>`
  );
}

interface PersonalVoice {
  speakerProfileId?: string;
  status?: string;
  properties?: { failureReason?: string };
}

export class AzureSpeechVoiceProvider implements VoiceProvider {
  readonly name = 'azure-speech' as const;
  readonly #options: AzureSpeechOptions;

  constructor(options: AzureSpeechOptions) {
    this.#options = options;
  }

  async createVoice(request: Parameters<VoiceProvider['createVoice']>[0]): Promise<{ providerVoiceId: string }> {
    const consentRecording = request.consent.recording ?? request.samples[0];
    if (!consentRecording || request.samples.length === 0) throw new VoiceProviderError('rejected', 'a voice needs at least one sample');
    const id = `portico-${randomUUID()}`;
    const { signal } = request;
    try {
      await this.#call('project creation', 'PUT', `projects/${id}`, { signal, json: { kind: 'PersonalVoice', description: request.displayName } });
      const consent = new FormData();
      consent.set('projectId', id);
      consent.set('voiceTalentName', request.displayName);
      consent.set('companyName', this.#options.companyName);
      consent.set('locale', this.#options.locale);
      consent.set('description', `Consent accepted ${request.consent.acceptedAt}`);
      consent.set('audiodata', new Blob([consentRecording.bytes], { type: consentRecording.contentType }), 'consent.wav');
      await this.#call('consent upload', 'POST', `consents/${id}`, { signal, form: consent });
      const voice = new FormData();
      voice.set('projectId', id);
      voice.set('consentId', id);
      request.samples.forEach((sample, index) => voice.append('audiodata', new Blob([sample.bytes], { type: sample.contentType }), `sample-${index + 1}.wav`));
      const created = (await this.#call('personal voice creation', 'POST', `personalvoices/${id}`, { signal, form: voice })) as PersonalVoice;
      if (!created.speakerProfileId) throw new VoiceProviderError('unavailable', 'Azure Speech personal voice creation answered no speakerProfileId');
      return { providerVoiceId: `${id}.${created.speakerProfileId}` };
    } catch (error) {
      // Leave nothing half made at Azure, least of all the consent recording; a failed cleanup
      // is not the caller's failure (the original one is).
      await this.#remove(id).catch(() => undefined);
      throw error;
    }
  }

  async trainingStatus(providerVoiceId: string, signal?: AbortSignal): Promise<TrainingState> {
    const { id } = this.#parse(providerVoiceId);
    const voice = (await this.#call('personal voice status', 'GET', `personalvoices/${id}`, { signal })) as PersonalVoice;
    if (voice.status === 'Succeeded') return { status: 'ready' };
    if (voice.status === 'Failed') return { status: 'failed', reason: voice.properties?.failureReason ?? 'Azure Speech reported the personal voice Failed' };
    return { status: 'training' }; // NotStarted, Running
  }

  async deleteVoice(providerVoiceId: string, signal?: AbortSignal): Promise<void> {
    // An id this provider never made (a voice trained before the deployment switched provider)
    // has nothing at Azure: gone already, which deleting is fine with.
    const id = VOICE_ID.exec(providerVoiceId)?.[1];
    if (id) await this.#remove(id, signal);
  }

  async synthesize(request: Parameters<VoiceProvider['synthesize']>[0]): Promise<SynthesizedAudio> {
    const { speakerProfileId } = this.#parse(request.providerVoiceId);
    const what = 'Azure Speech synthesis';
    const signal = deadline(this.#options.timeoutMs, request.signal);
    const body = ssml({ text: request.text, speakerProfileId, baseModel: this.#options.baseModel, locale: this.#options.locale, ...(request.speed === undefined ? {} : { speed: request.speed }) });
    let bytes: Uint8Array;
    try {
      const response = await fetch(`${this.#options.ttsEndpoint}/cognitiveservices/v1`, {
        method: 'POST',
        headers: { ...this.#auth(), 'content-type': 'application/ssml+xml', 'x-microsoft-outputformat': OUTPUT_FORMATS[request.format], 'user-agent': 'portico' },
        body,
        signal,
      });
      await this.#ok(what, response);
      bytes = new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      throw callFailure(what, error, signal);
    }
    return measuredAudio(what, bytes, request.format, this.#options.audio, request.signal);
  }

  /** The voice, its consent and its project; each already gone is fine (deleting is idempotent). */
  async #remove(id: string, signal?: AbortSignal): Promise<void> {
    for (const path of [`personalvoices/${id}`, `consents/${id}`, `projects/${id}`]) {
      try {
        await this.#call('deletion', 'DELETE', path, { signal });
      } catch (error) {
        if (!(error instanceof VoiceProviderError && error.reason === 'not_found')) throw error;
      }
    }
  }

  /** One custom voice API call: its JSON answer (undefined when empty) on a 2xx, else the failure in the port's words. */
  async #call(what: string, method: string, path: string, options: { signal?: AbortSignal | undefined; json?: unknown; form?: FormData }): Promise<unknown> {
    const label = `Azure Speech ${what}`;
    const signal = deadline(this.#options.timeoutMs, options.signal);
    try {
      const response = await fetch(`${this.#options.apiEndpoint}/customvoice/${path}?api-version=${API_VERSION}`, {
        method,
        headers: { ...this.#auth(), ...(options.json === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(options.json === undefined ? {} : { body: JSON.stringify(options.json) }),
        ...(options.form ? { body: options.form } : {}),
        signal,
      });
      await this.#ok(label, response);
      const text = await response.text();
      return text ? (JSON.parse(text) as unknown) : undefined;
    } catch (error) {
      throw callFailure(label, error, signal);
    }
  }

  #auth(): Record<string, string> {
    return { 'ocp-apim-subscription-key': this.#options.subscriptionKey };
  }

  /** Throws the failure of a non-2xx answer; its body is dropped unread (it is not for the log). */
  async #ok(what: string, response: Response): Promise<void> {
    if (response.ok) return;
    await response.body?.cancel().catch(() => undefined);
    throw statusFailure(what, response.status, response.headers);
  }

  /** The ids a voice id carries; not_found for one this provider never made. */
  #parse(providerVoiceId: string): { id: string; speakerProfileId: string } {
    const match = VOICE_ID.exec(providerVoiceId);
    if (!match) throw new VoiceProviderError('not_found', 'not an Azure Speech personal voice id');
    return { id: match[1]!, speakerProfileId: match[2]! };
  }
}

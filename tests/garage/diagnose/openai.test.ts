/**
 * The real path: the diagnose routes on the app's OpenAI adapter (the `openai` SDK) against the
 * local OpenAI-compatible server: the answer with the image as an image part, the title as
 * structured output, and the audio through `audio/transcriptions` (multipart, whisper-1).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createLanguageModel } from '../../../adapters/ai/language-model.ts';
import { loadAiSettings } from '../../../adapters/ai/settings.ts';
import { jsonReply, startOpenAIServer, textReply, type OpenAITestServer } from '../../support/openai-server.ts';
import type { MessageDoc } from '../../../handlers/garage/store.ts';
import { pngBytes, setup, wavBytes } from './support.ts';

let server: OpenAITestServer;
beforeAll(async () => {
  server = await startOpenAIServer();
});
afterAll(async () => server.close());

const openai = () => createLanguageModel(loadAiSettings({ OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_MODEL: 'gpt-4o-mini', AI_MAX_RETRIES: '0' }), []);

describe('diagnose through the OpenAI SDK', () => {
  it('sends the image as an image part and the transcript as text, and titles the session', async () => {
    server.reset();
    server.transcribeWith(() => ({ text: 'It knocks at 3000 rpm.' }));
    server.enqueue(textReply('Check the rod bearings.', { usage: { prompt_tokens: 900, completion_tokens: 12 } }), jsonReply({ title: '"Knock at 3000 rpm"' }));
    const t = setup({ model: openai() });
    const vehicleId = await t.addVehicle('alice', { make: 'Toyota', model: 'Supra', year: '1994' }, ['Big turbo']);
    const form = new FormData();
    form.set('q', 'Engine knock');
    form.set('vehicle_id', vehicleId);
    form.set('image', new Blob([await pngBytes()], { type: 'image/png' }), 'engine.png');
    form.set('audio', new Blob([wavBytes(0.5)], { type: 'audio/wav' }), 'knock.wav');
    const reply = await t.call('v2', 'alice', { multipart: form });
    expect(reply.statusCode).toBe(200);
    expect(reply.json?.answer).toBe('Check the rod bearings.');

    expect(server.transcriptions).toEqual([expect.objectContaining({ model: 'whisper-1', fileName: 'audio.wav', fileType: 'audio/wav', responseFormat: 'text', credential: 'Bearer test-key' })]);
    expect(server.transcriptions[0]!.bytes).toEqual(new Uint8Array(wavBytes(0.5)));

    const [answer, title] = server.requests;
    const user = answer!.messages.at(-1)!.content as { type: string; text?: string; image_url?: { url: string } }[];
    expect(user[0]).toEqual({ type: 'text', text: 'Engine knock\n\n[Audio transcript]\nIt knocks at 3000 rpm.' });
    expect(user[1]?.image_url?.url).toMatch(/^data:image\/webp;base64,UklGR/);
    expect(answer!.messages[1]).toEqual({ role: 'system', content: 'Vehicle: 1994 Toyota Supra\nMods:\n- Big turbo: Big turbo installed' });
    expect(title!.responseFormat).toMatchObject({ type: 'json_schema', json_schema: { name: 'diagnose_title' } });

    const stored = await t.stored();
    expect(stored['garage-conversations']).toEqual([expect.objectContaining({ title: 'Knock at 3000 rpm' })]);
    const [question] = stored['garage-messages'] as unknown as MessageDoc[];
    expect(question!.transcript).toBe('It knocks at 3000 rpm.');
    const tokens = (await t.metrics.snapshot()).counters.find((c) => c.name === 'openai_tokens')!;
    expect(tokens.points).toEqual(expect.arrayContaining([{ attributes: { direction: 'in', model: 'gpt-4o-mini' }, value: expect.any(Number) }]));
  });

  it('a failed transcription is a 502 problem and stores nothing', async () => {
    server.reset();
    server.transcribeWith(() => ({ fault: 500 }));
    const t = setup({ model: openai() });
    const vehicleId = await t.addVehicle('alice');
    const reply = await t.call('v2', 'alice', { json: { q: 'Noise', vehicle_id: vehicleId, audio_base64: wavBytes(0.2).toString('base64') } });
    expect([reply.statusCode, reply.json?.code]).toEqual([502, 'model_unavailable']);
    expect(server.requests).toHaveLength(0);
    expect(await t.stored()).toEqual({ 'garage-conversations': [], 'garage-messages': [] });
  });
});

/** A ready voice for the tests that need one: upload, enroll, the job, and the monitor ticks the offline provider needs. */
import { expect } from '@jest/globals';
import type { setup } from './app.ts';

export const consent = { statement: 'I am the speaker and I consent to a synthetic copy of my voice.', accepted_at: '2026-11-22T09:00:00Z' };

export async function readyVoice(t: ReturnType<typeof setup>, user: string, wav: Uint8Array): Promise<string> {
  const sample = await t.uploadSample(user, wav);
  const voiceId = (await t.request(user, 'voice-enrollment', { body: { display_name: 'V', sample_ids: [sample.json!.sample_id], consent } })).json!.voice_id as string;
  await t.drainEnrollments();
  await t.tick();
  await t.tick();
  expect((await t.request(user, 'voice-voices-get', { params: { id: voiceId } })).json!.status).toBe('ready');
  return voiceId;
}

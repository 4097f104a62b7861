/**
 * Who may do what in the voice service, through the real HTTP stack and real tokens: each route's
 * roles (403 `missing_role`, after 401 for no credentials), Voice.Admin reading anyone's items,
 * ownership (another user's sample, voice, synthesis and batch are 404), and the seed's rate
 * limits per user (429 at RATE_LIMIT_TRAINING and RATE_LIMIT_SYNTHESIS).
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { setup, testConsent } from './support/app.ts';
import { tone } from './support/audio.ts';

let wav: Uint8Array;
beforeAll(async () => {
  wav = await tone({ seconds: 4 });
}, 60_000);

const roles = {
  nobody: [],
  speaker: ['Voice.Synthesize'],
  enroller: ['Voice.Enroll'],
  operator: ['Voice.Admin'],
  outsider: ['Wardrobe.Reader'],
};

describe('roles', () => {
  it('refuses each route to a caller holding none of its roles with 403 missing_role, naming the roles', async () => {
    const t = setup({ roles });
    const upload = await t.request('nobody', 'voice-uploads-create', { body: { content_type: 'audio/wav', size: 1000 } });
    expect(upload.statusCode).toBe(403);
    expect(upload.headers['content-type']).toContain('application/problem+json');
    expect(upload.json).toMatchObject({ code: 'missing_role' });
    expect(upload.json!.detail).toContain('Voice.Enroll');
    expect(upload.json!.requestId).toEqual(expect.any(String));
    for (const [name, body] of [
      ['voice-enrollment', { display_name: 'V', sample_ids: ['s1'], consent: testConsent }],
      ['voice-synthesis', { voice_id: 'v1', text: 'hello' }],
      ['voice-synthesis-batch', { items: [{ voice_id: 'v1', text: 'hello' }] }],
    ] as const) {
      expect((await t.request('outsider', name, { body })).json).toMatchObject({ status: 403, code: 'missing_role' });
    }
    expect((await t.request('outsider', 'voice-voices-list')).statusCode).toBe(403);
  });

  it('lets Voice.Synthesize speak and read voices but not upload or enroll; Voice.Enroll the reverse', async () => {
    const t = setup({ roles });
    expect((await t.request('speaker', 'voice-uploads-create', { body: { content_type: 'audio/wav', size: 1000 } })).statusCode).toBe(403);
    expect((await t.request('speaker', 'voice-voices-list')).statusCode).toBe(200);
    // Past the role check, the synthesis route's own answer: the voice is not theirs.
    expect((await t.request('speaker', 'voice-synthesis', { body: { voice_id: 'v1', text: 'hello' } })).statusCode).toBe(404);
    expect((await t.request('enroller', 'voice-uploads-create', { body: { content_type: 'audio/wav', size: 1000 } })).statusCode).toBe(201);
    expect((await t.request('enroller', 'voice-synthesis', { body: { voice_id: 'v1', text: 'hello' } })).json).toMatchObject({ status: 403, code: 'missing_role' });
  });

  it('lets Voice.Admin read and list other users\' items, and no one else', async () => {
    const t = setup({ roles });
    const voiceId = await t.readyVoice('alice', wav);
    const synthesis = await t.request('alice', 'voice-synthesis', { body: { voice_id: voiceId, text: 'Hello there.' } });
    const batch = await t.request('alice', 'voice-synthesis-batch', { body: { items: [{ voice_id: voiceId, text: 'One.' }] } });
    const voice = (await t.request('alice', 'voice-voices-get', { params: { id: voiceId } })).json!;
    const sampleId = voice.sample_ids[0] as string;

    expect((await t.request('operator', 'voice-voices-get', { params: { id: voiceId } })).json).toMatchObject({ voice_id: voiceId });
    expect((await t.request('operator', 'voice-synthesis-get', { params: { id: synthesis.json!.synthesis_id } })).statusCode).toBe(200);
    expect((await t.request('operator', 'voice-synthesis-batch-get', { params: { id: batch.json!.batch_id } })).statusCode).toBe(200);
    expect((await t.request('operator', 'voice-samples-get', { params: { id: sampleId } })).statusCode).toBe(200);
    const listed = await t.request('operator', 'voice-voices-list', { params: {}, query: { owner: 'alice' } });
    expect(listed.json!.items.map((item: { voice_id: string }) => item.voice_id)).toEqual([voiceId]);

    // Another user: 404 on each item, 403 for a list of someone else's.
    expect((await t.request('bob', 'voice-voices-get', { params: { id: voiceId } })).statusCode).toBe(404);
    expect((await t.request('bob', 'voice-synthesis-get', { params: { id: synthesis.json!.synthesis_id } })).statusCode).toBe(404);
    expect((await t.request('bob', 'voice-synthesis-batch-get', { params: { id: batch.json!.batch_id } })).statusCode).toBe(404);
    expect((await t.request('bob', 'voice-samples-get', { params: { id: sampleId } })).statusCode).toBe(404);
    expect((await t.request('bob', 'voice-voices-list', { query: { owner: 'alice' } })).json).toMatchObject({ status: 403, code: 'missing_role' });
    expect((await t.request('bob', 'voice-voices-list')).json!.items).toEqual([]);
  }, 60_000);
});

describe('rate limits (per user, per minute)', () => {
  it('answers 429 rate_limited past RATE_LIMIT_TRAINING on enrollment, counting each user alone', async () => {
    const t = setup({ env: { RATE_LIMITING_ENABLED: 'true', RATE_LIMIT_TRAINING: '2' } });
    const enroll = (user: string) => t.request(user, 'voice-enrollment', { body: { display_name: 'V', sample_ids: ['missing'], consent: testConsent } });
    // Refused enrollments count too: the limit guards the route, not the outcome.
    expect((await enroll('alice')).statusCode).toBe(404);
    expect((await enroll('alice')).statusCode).toBe(404);
    const limited = await enroll('alice');
    expect(limited.statusCode).toBe(429);
    expect(limited.json).toMatchObject({ code: 'rate_limited' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await enroll('bob')).statusCode).toBe(404);
  });

  it('answers 429 past RATE_LIMIT_SYNTHESIS, shared by single and batch synthesis, and leaves other routes to RATE_LIMIT_DEFAULT', async () => {
    const t = setup({ env: { RATE_LIMITING_ENABLED: 'true', RATE_LIMIT_SYNTHESIS: '2', RATE_LIMIT_DEFAULT: '100' } });
    expect((await t.request('alice', 'voice-synthesis', { body: { voice_id: 'v1', text: 'a' } })).statusCode).toBe(404);
    expect((await t.request('alice', 'voice-synthesis-batch', { body: { items: [{ voice_id: 'v1', text: 'a' }] } })).statusCode).toBe(202);
    expect((await t.request('alice', 'voice-synthesis', { body: { voice_id: 'v1', text: 'a' } })).statusCode).toBe(429);
    expect((await t.request('alice', 'voice-synthesis-batch', { body: { items: [{ voice_id: 'v1', text: 'a' }] } })).statusCode).toBe(429);
    expect((await t.request('alice', 'voice-voices-list')).statusCode).toBe(200);
  });

  it('answers 429 past RATE_LIMIT_DEFAULT on a route without its own limit', async () => {
    const t = setup({ env: { RATE_LIMITING_ENABLED: 'true', RATE_LIMIT_DEFAULT: '3' } });
    for (let i = 0; i < 3; i++) expect((await t.request('alice', 'voice-voices-list')).statusCode).toBe(200);
    expect((await t.request('alice', 'voice-voices-list')).json).toMatchObject({ status: 429, code: 'rate_limited' });
  });
});

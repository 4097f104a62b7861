/** The voice settings: defaults, ranges, and the cross-checks that stop a start naming the variable. */
import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../../kernel/env.ts';
import { loadVoiceSettings, VOICE_DEFAULT_QUEUES } from '../../handlers/voice/settings.ts';

describe('voice settings', () => {
  it('defaults to the offline provider, 3-120 s samples and the default queues', () => {
    const settings = loadVoiceSettings({});
    expect(settings.provider).toBe('offline');
    expect(settings.samples).toMatchObject({ minSeconds: 3, maxSeconds: 120, minSampleRate: 16_000, maxChannels: 2 });
    expect(settings.queues).toEqual(VOICE_DEFAULT_QUEUES);
    expect(settings.containers).toEqual({ samples: 'voice-samples', archive: 'voice-archive', synthesis: 'voice-synthesis' });
    expect(settings.offlineTrainingTicks).toBe(2);
    expect(settings.webhooksPerUser).toBe(10);
    expect(settings.retention.notificationSeconds).toBe(7 * 86_400);
  });

  it.each([
    [{ VOICE_PROVIDER: 'elevenlabs' }, 'VOICE_PROVIDER'],
    [{ VOICE_SAMPLE_MIN_SECONDS: '30', VOICE_SAMPLE_MAX_SECONDS: '10' }, 'VOICE_SAMPLE_MAX_SECONDS'],
    [{ VOICE_SHORT_TEXT_MAX_CHARS: '900', VOICE_TEXT_MAX_CHARS: '800' }, 'VOICE_SHORT_TEXT_MAX_CHARS'],
    [{ VOICE_SYNTHESIS_LONG_QUEUE_NAME: 'voice-synthesis-short' }, 'VOICE_SYNTHESIS_LONG_QUEUE_NAME'],
    [{ VOICE_ARCHIVE_CONTAINER: 'voice-uploads' }, 'VOICE_ARCHIVE_CONTAINER'],
    [{ VOICE_SAMPLES_CONTAINER: 'Bad_Name' }, 'VOICE_SAMPLES_CONTAINER'],
    [{ VOICE_UPLOAD_URL_TTL_SECONDS: '5' }, 'VOICE_UPLOAD_URL_TTL_SECONDS'],
    [{ VOICE_WEBHOOK_QUEUE_NAME: 'voice-enrollment' }, 'VOICE_WEBHOOK_QUEUE_NAME'],
    [{ VOICE_WEBHOOKS_PER_USER: '0' }, 'VOICE_WEBHOOKS_PER_USER'],
    [{ VOICE_NOTIFICATION_RETENTION_DAYS: '0' }, 'VOICE_NOTIFICATION_RETENTION_DAYS'],
  ])('refuses %j naming %s', (env, variable) => {
    let error: unknown;
    try {
      loadVoiceSettings(env);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
  });

  it('reads retention in days and the training timeout in minutes, as seconds', () => {
    const settings = loadVoiceSettings({ VOICE_REJECTED_RETENTION_DAYS: '2', VOICE_TRAINING_TIMEOUT_MINUTES: '5' });
    expect(settings.retention.rejectedSeconds).toBe(2 * 86_400);
    expect(settings.trainingTimeoutSeconds).toBe(300);
  });
});

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
    expect(settings.providerSettings).toEqual({ provider: 'offline', offlineTrainingTicks: 2 });
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
    [{ VOICE_PROVIDER: 'azure-speech', AZURE_SPEECH_REGION: 'westeurope', AZURE_SPEECH_COMPANY_NAME: 'Contoso' }, 'AZURE_SPEECH_KEY'],
    [{ VOICE_PROVIDER: 'azure-speech', AZURE_SPEECH_KEY: 'k', AZURE_SPEECH_COMPANY_NAME: 'Contoso' }, 'AZURE_SPEECH_REGION'],
    [{ VOICE_PROVIDER: 'azure-speech', AZURE_SPEECH_KEY: 'k', AZURE_SPEECH_REGION: 'westeurope' }, 'AZURE_SPEECH_COMPANY_NAME'],
    [{ VOICE_PROVIDER: 'azure-speech', AZURE_SPEECH_KEY: 'k', AZURE_SPEECH_REGION: 'West Europe', AZURE_SPEECH_COMPANY_NAME: 'Contoso' }, 'AZURE_SPEECH_REGION'],
    [{ VOICE_PROVIDER: 'azure-speech', AZURE_SPEECH_KEY: 'k', AZURE_SPEECH_ENDPOINT: 'http://speech.example.com', AZURE_SPEECH_COMPANY_NAME: 'Contoso' }, 'AZURE_SPEECH_ENDPOINT'],
    [{ VOICE_PROVIDER: 'openai' }, 'OPENAI_API_KEY'],
    [{ VOICE_PROVIDER: 'openai', OPENAI_API_KEY: 'sk', VOICE_TEXT_MAX_CHARS: '5000' }, 'VOICE_TEXT_MAX_CHARS'],
    [{ VOICE_PROVIDER: 'openai', OPENAI_API_KEY: 'sk', OPENAI_TTS_VOICES: 'alloy, not a voice' }, 'OPENAI_TTS_VOICES'],
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

  it('reads the Azure Speech provider: regional hosts, or one endpoint for both APIs', () => {
    const base = { VOICE_PROVIDER: 'azure-speech', AZURE_SPEECH_KEY: 'k', AZURE_SPEECH_COMPANY_NAME: 'Contoso' };
    expect(loadVoiceSettings({ ...base, AZURE_SPEECH_REGION: 'westeurope' }).providerSettings).toEqual({
      provider: 'azure-speech', subscriptionKey: 'k', ttsEndpoint: 'https://westeurope.tts.speech.microsoft.com', apiEndpoint: 'https://westeurope.api.cognitive.microsoft.com',
      baseModel: 'DragonLatestNeural', locale: 'en-US', companyName: 'Contoso', timeoutMs: 60_000,
    });
    expect(loadVoiceSettings({ ...base, AZURE_SPEECH_ENDPOINT: 'http://127.0.0.1:9/', VOICE_PROVIDER_TIMEOUT_MS: '5000' }).providerSettings).toMatchObject({ ttsEndpoint: 'http://127.0.0.1:9', apiEndpoint: 'http://127.0.0.1:9', timeoutMs: 5000 });
  });

  it('reads the OpenAI provider with its defaults, sharing OPENAI_API_KEY and OPENAI_BASE_URL with the language model', () => {
    expect(loadVoiceSettings({ VOICE_PROVIDER: 'openai', OPENAI_API_KEY: 'sk' }).text.maxChars).toBe(4096); // OpenAI's limit a call
    expect(loadVoiceSettings({ VOICE_PROVIDER: 'openai', OPENAI_API_KEY: 'sk' }).providerSettings).toEqual({ provider: 'openai', apiKey: 'sk', baseURL: undefined, model: 'gpt-4o-mini-tts', voices: ['alloy'], timeoutMs: 60_000 });
    expect(loadVoiceSettings({ VOICE_PROVIDER: 'openai', OPENAI_API_KEY: 'sk', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', OPENAI_TTS_MODEL: 'tts-1', OPENAI_TTS_VOICES: 'nova, onyx' }).providerSettings).toMatchObject({ baseURL: 'http://127.0.0.1:9/v1', model: 'tts-1', voices: ['nova', 'onyx'] });
  });

  it('reads retention in days and the training timeout in minutes, as seconds', () => {
    const settings = loadVoiceSettings({ VOICE_REJECTED_RETENTION_DAYS: '2', VOICE_TRAINING_TIMEOUT_MINUTES: '5' });
    expect(settings.retention.rejectedSeconds).toBe(2 * 86_400);
    expect(settings.trainingTimeoutSeconds).toBe(300);
  });
});

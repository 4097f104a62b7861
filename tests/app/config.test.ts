import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '../../app/config.ts';

describe('configuration', () => {
  it('starts on embedded defaults with nothing set', () => {
    const config = loadConfig({}, false);
    expect(config).toMatchObject({ port: 7071, corsAllowedOrigins: [], logLevel: 'info', logPretty: false, maxBodyBytes: 1048576 });
    expect(config.storageConnection).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
    expect(config.memoryLimitMb).toBe(1536);
    expect(loadConfig({ PORTICO_MEMORY_MB: '2048' }).memoryLimitMb).toBe(2048);
  });

  it('pretty logs default to on in a terminal', () => {
    expect(loadConfig({}, true).logPretty).toBe(true);
    expect(loadConfig({ LOG_PRETTY: 'false' }, true).logPretty).toBe(false);
  });

  it('reads the seeds’ variable names', () => {
    const config = loadConfig({
      PORT: '8080',
      CORS_ALLOWED_ORIGINS: 'https://a.example.com, http://localhost:4200',
      ADMIN_USER_IDS: 'u1,u2',
      LOG_LEVEL: 'debug',
      MAX_BODY_BYTES: '2048',
      AzureWebJobsStorage: 'UseDevelopmentStorage=true',
    });
    expect(config).toMatchObject({
      port: 8080,
      corsAllowedOrigins: ['https://a.example.com', 'http://localhost:4200'],
      logLevel: 'debug',
      maxBodyBytes: 2048,
      storageConnection: 'UseDevelopmentStorage=true',
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['CORS_ALLOWED_ORIGINS', 'not an origin'],
    ['CORS_ALLOWED_ORIGINS', 'https://a.example.com/path'],
    ['LOG_LEVEL', 'loud'],
    ['MAX_BODY_BYTES', '0'],
    ['LOG_PRETTY', 'maybe'],
    ['HEALTH_TIMEOUT_MS', '-5'],
    ['PORTICO_MEMORY_MB', 'lots'],
    ['PORTICO_MEMORY_MB', '64'],
  ])('refuses %s=%s with a message naming the variable', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(new RegExp(`^Invalid configuration: ${variable} `));
  });
});

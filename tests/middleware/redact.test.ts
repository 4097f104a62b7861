import { describe, expect, it } from '@jest/globals';
import { redact, redactString } from '../../middleware/redact.ts';
import { captureLogger } from '../support/platform.ts';

describe('redaction', () => {
  it('masks credential-named keys at any depth', () => {
    const out = redact({
      headers: { authorization: 'Bearer abc', cookie: 'sid=1', 'x-api-key': 'k', 'ocp-apim-subscription-key': 'k', accept: 'json' },
      user: { pin: '1234', password: 'p', profile: { refreshToken: 't', clientSecret: 's', name: 'Ann' } },
      list: [{ token: 'x' }],
    });
    expect(out).toEqual({
      headers: { authorization: '[REDACTED]', cookie: '[REDACTED]', 'x-api-key': '[REDACTED]', 'ocp-apim-subscription-key': '[REDACTED]', accept: 'json' },
      user: { pin: '[REDACTED]', password: '[REDACTED]', profile: { refreshToken: '[REDACTED]', clientSecret: '[REDACTED]', name: 'Ann' } },
      list: [{ token: '[REDACTED]' }],
    });
  });

  it('scrubs secrets inside free text', () => {
    const text = redactString(
      'auth Bearer abc.def-ghi and AccountKey=Zm9vYmFy;QueueEndpoint=x sig=abc%2F token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln pin=1234',
    );
    expect(text).not.toMatch(/abc\.def|Zm9vYmFy|abc%2F|eyJhbGci|1234/);
    expect(text).toContain('QueueEndpoint=x');
  });

  it('scrubs Standard Webhooks secrets inside free text', () => {
    expect(redactString('secrets are whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw, whsec_cG9ydGljbw==')).toBe('secrets are whsec_[REDACTED], whsec_[REDACTED]');
  });

  it('is bounded on deep input instead of overflowing the stack', () => {
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 20_000; i++) deep = { next: deep };
    expect(() => JSON.stringify(redact(deep))).not.toThrow();
  });

  it('applies to every log line: objects, messages and errors, with no stack', () => {
    const { logger, lines } = captureLogger();
    logger.info({ req: { headers: { authorization: 'Basic dXNlcjpwYXNz' } } }, 'login with password=hunter2');
    logger.error(new Error('db failed: AccountKey=c2VjcmV0'));
    const all = lines.join('\n');
    expect(all).not.toMatch(/dXNlcjpwYXNz|hunter2|c2VjcmV0|"stack"/);
    expect(all).toContain('db failed');
  });
});

/** A plugin's input from its request: JSON as it is, multipart fields placed and typed by the plugin's schema, base64 refused unless it is base64. */
import { describe, expect, it } from '@jest/globals';
import { compressInput } from '../../domain/capabilities/schemas.ts';
import { decodeBase64 } from '../../handlers/capabilities/context.ts';
import { fieldsToInput } from '../../handlers/capabilities/input.ts';

describe('multipart fields into an input', () => {
  it('puts the seed\'s option fields under options, typed by the schema', () => {
    expect(fieldsToInput({ quality: '60', format: 'jpeg', max_width: '800' }, compressInput)).toEqual({ options: { quality: 60, format: 'jpeg', max_width: 800 } });
  });

  it('keeps top-level fields, takes an options field as JSON, and leaves a mistyped value for the schema to refuse', () => {
    expect(fieldsToInput({ image_url: 'https://example.com/a.png', options: '{"quality": 5}', max_height: '10' }, compressInput)).toEqual({ image_url: 'https://example.com/a.png', options: { quality: 5, max_height: 10 } });
    expect(fieldsToInput({ quality: 'high' }, compressInput)).toEqual({ options: { quality: 'high' } });
    expect(fieldsToInput({ unknown: 'x' }, compressInput)).toEqual({ unknown: 'x' });
  });
});

describe('base64 input', () => {
  it('decodes standard, URL-safe and data: URL base64, keeping the declared type', () => {
    expect(Buffer.from(decodeBase64('aGVsbG8=', 'image_base64', 100).bytes).toString()).toBe('hello');
    expect(Buffer.from(decodeBase64('aGk_Pz8-', 'image_base64', 100).bytes).toString()).toBe('hi???>');
    expect(decodeBase64('data:image/png;base64,aGVsbG8=', 'image_base64', 100)).toMatchObject({ contentType: 'image/png' });
  });

  it('refuses text that is not base64, an empty file, and a size past the cap before decoding', () => {
    expect(() => decodeBase64('not base64!', 'image_base64', 100)).toThrow(expect.objectContaining({ status: 400, code: 'invalid_input' }));
    expect(() => decodeBase64('', 'image_base64', 100)).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    expect(() => decodeBase64('data:image/png,plain', 'image_base64', 100)).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    expect(() => decodeBase64('A'.repeat(4000), 'image_base64', 100)).toThrow(expect.objectContaining({ status: 413, code: 'input_too_large' }));
  });
});

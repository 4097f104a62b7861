/**
 * Strict JSON bodies for routes that declare one. The text is checked for nesting depth with
 * an iterative scan *before* JSON.parse, because deep input makes recursive walkers (and
 * JSON.stringify) throw; keys that could pollute prototypes, invisible control characters and
 * unpaired surrogates are refused while parsing. Every refusal is a 4xx AppError.
 */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { AppError, badRequest } from '../domain/errors.ts';
import { isWellFormed } from '../domain/text.ts';
import type { PorticoHttpEvent } from './context.ts';

export const MAX_JSON_DEPTH = 32;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
// C0 controls other than tab, newline and carriage return, plus DEL: they hide text in logs and UIs.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const JSON_MEDIA_TYPE = /^application\/([a-z0-9.+-]+\+)?json$/;

/** Deepest `[`/`{` nesting in JSON text, ignoring brackets inside strings. O(n), no recursion. */
export function jsonDepth(text: string, stopAbove = Infinity): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 92 /* \ */) i++;
      else if (char === 34 /* " */) inString = false;
    } else if (char === 34) inString = true;
    else if (char === 123 || char === 91) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > stopAbove) return deepest;
    } else if (char === 125 || char === 93) depth--;
  }
  return deepest;
}

export function parseJsonStrictly(text: string, maxDepth = MAX_JSON_DEPTH): unknown {
  if (jsonDepth(text, maxDepth) > maxDepth) {
    throw badRequest('too_deep', `The JSON body is nested deeper than ${maxDepth} levels.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, (key, value: unknown) => {
      if (FORBIDDEN_KEYS.has(key)) throw badRequest('forbidden_key', `The key "${key}" is not allowed.`);
      if (typeof value === 'string' && CONTROL_CHARACTERS.test(value)) {
        throw badRequest('control_characters', 'Strings may not contain control characters.');
      }
      // Escapes such as \ud800 can still spell text that is not Unicode (domain/text.ts).
      if (!isWellFormed(key) || (typeof value === 'string' && !isWellFormed(value))) {
        throw badRequest('invalid_unicode', 'Strings must be well-formed Unicode: no unpaired surrogates.');
      }
      return value;
    });
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw badRequest('malformed_json', 'The request body is not valid JSON.');
  }
  return parsed;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function bodyText(event: APIGatewayProxyEventV2): string {
  if (!event.isBase64Encoded) return event.body ?? '';
  try {
    return utf8.decode(Buffer.from(event.body ?? '', 'base64'));
  } catch {
    throw badRequest('malformed_json', 'The request body is not valid UTF-8.');
  }
}

export function jsonBody(expectsBody: boolean, optional = false): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  return {
    before: (request) => {
      const event = request.event as PorticoHttpEvent;
      if (!expectsBody) {
        event.json = undefined;
        return;
      }
      // An optional body left out entirely (a PATCH with no bytes, whatever its content type).
      if (optional && (event.body === undefined || event.body === null || event.body === '')) {
        event.json = undefined;
        return;
      }
      const mediaType = (event.headers?.['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (!JSON_MEDIA_TYPE.test(mediaType)) {
        throw new AppError(415, 'unsupported_media_type', 'Send the body as application/json.');
      }
      const text = bodyText(event);
      if (text.trim() === '') throw badRequest('body_required', 'A JSON body is required.');
      event.json = parseJsonStrictly(text);
    },
  };
}

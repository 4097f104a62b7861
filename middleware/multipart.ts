/**
 * A small `multipart/form-data` reader (RFC 7578) for bodies the HTTP stack already holds in
 * memory (size-limited by the body limit): each part's name, filename, type and bytes. A body
 * that is not well-formed multipart is a 400 `invalid_multipart`, never a 500.
 */
import { badRequest } from '../domain/errors.ts';

export interface FormPart {
  name: string;
  filename: string | undefined;
  contentType: string | undefined;
  bytes: Uint8Array;
}

const invalid = (why: string) => badRequest('invalid_multipart', `The multipart/form-data body is malformed: ${why}.`);

/** The boundary of a `multipart/form-data` Content-Type, or undefined when it is another type. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  const [essence, ...params] = (contentType ?? '').split(';');
  if (essence?.trim().toLowerCase() !== 'multipart/form-data') return undefined;
  for (const param of params) {
    const match = /^\s*boundary\s*=\s*(?:"([^"]{1,70})"|([^\s";]{1,70}))\s*$/i.exec(param);
    if (match) return match[1] ?? match[2];
  }
  throw invalid('the Content-Type has no boundary');
}

function headerParam(header: string, name: string): string | undefined {
  const match = new RegExp(`;\\s*${name}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]+))`, 'i').exec(header);
  return match ? (match[1] ?? match[2])?.replace(/\\(.)/g, '$1') : undefined;
}

export function parseMultipart(body: Uint8Array, boundary: string): FormPart[] {
  const buffer = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const delimiter = Buffer.from(`--${boundary}`);
  let at = buffer.indexOf(delimiter);
  if (at < 0) throw invalid('no boundary line');
  const parts: FormPart[] = [];
  for (;;) {
    at += delimiter.length;
    if (buffer.subarray(at, at + 2).toString() === '--') return parts;
    if (buffer.subarray(at, at + 2).toString() !== '\r\n') throw invalid('a boundary line is not followed by CRLF');
    const headersEnd = buffer.indexOf('\r\n\r\n', at + 2);
    if (headersEnd < 0) throw invalid('a part has no end of headers');
    const headers = buffer.subarray(at + 2, headersEnd).toString('utf8').split('\r\n');
    const next = buffer.indexOf(Buffer.from(`\r\n--${boundary}`), headersEnd + 4);
    if (next < 0) throw invalid('the closing boundary is missing');
    const header = (name: string) => headers.find((line) => line.toLowerCase().startsWith(`${name}:`))?.slice(name.length + 1).trim();
    const disposition = header('content-disposition');
    const name = disposition && /^form-data\b/i.test(disposition) ? headerParam(disposition, 'name') : undefined;
    if (name === undefined) throw invalid('a part has no form-data name');
    parts.push({ name, filename: headerParam(disposition!, 'filename'), contentType: header('content-type'), bytes: new Uint8Array(buffer.subarray(headersEnd + 4, next)) });
    at = next + 2;
  }
}

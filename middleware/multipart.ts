/**
 * `multipart/form-data` bodies (RFC 7578), read from memory: the HTTP stack already holds the
 * body, bounded by the route's limit, so nothing is streamed. Our own small reader rather than
 * the runtime's `Response.formData()`: that one turns a part without a filename into a string,
 * so an image sent as `Content-Type: image/png` without one would lose its bytes. A part is a
 * file when it has a filename or a type other than text/plain; the rest are text fields. A
 * body that is not well-formed multipart is a 400 `malformed_multipart`, never a 500.
 */
import { badRequest } from '../domain/errors.ts';
import type { PorticoHttpEvent } from './context.ts';

export interface FilePart {
  bytes: Uint8Array;
  /** As the client declared it (may be empty or wrong: sniff the bytes). */
  contentType: string;
  fileName: string;
}

export interface MultipartForm {
  fields: Record<string, string>;
  files: Record<string, FilePart>;
}

const malformed = (why: string) => badRequest('malformed_multipart', `The multipart/form-data body could not be read: ${why}.`);

/** The media type of the request, lower case, without parameters. */
export const mediaTypeOf = (event: Pick<PorticoHttpEvent, 'headers'>): string => (event.headers?.['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();

/** The raw body bytes: the adapters deliver binary bodies base64-encoded. */
export function bodyBytesOf(event: Pick<PorticoHttpEvent, 'body' | 'isBase64Encoded'>): Uint8Array {
  const body = event.body ?? '';
  return new Uint8Array(event.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8'));
}

function boundaryOf(contentType: string): string {
  for (const param of contentType.split(';').slice(1)) {
    const match = /^\s*boundary\s*=\s*(?:"([^"]{1,70})"|([^\s";]{1,70}))\s*$/i.exec(param);
    if (match) return (match[1] ?? match[2])!;
  }
  throw badRequest('malformed_multipart', 'A multipart/form-data body needs a boundary parameter.');
}

function headerParam(header: string, name: string): string | undefined {
  const match = new RegExp(`;\\s*${name}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]+))`, 'i').exec(header);
  return match ? (match[1] ?? match[2])?.replace(/\\(.)/g, '$1') : undefined;
}

/** Parses a multipart/form-data body; the first part of each name wins. */
export function parseMultipart(event: Pick<PorticoHttpEvent, 'headers' | 'body' | 'isBase64Encoded'>): MultipartForm {
  const boundary = boundaryOf(event.headers?.['content-type'] ?? '');
  const bytes = bodyBytesOf(event);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const delimiter = Buffer.from(`--${boundary}`);
  const form: MultipartForm = { fields: {}, files: {} };
  let at = buffer.indexOf(delimiter);
  if (at < 0) throw malformed('no boundary line');
  for (;;) {
    at += delimiter.length;
    if (buffer.subarray(at, at + 2).toString() === '--') return form;
    if (buffer.subarray(at, at + 2).toString() !== '\r\n') throw malformed('a boundary line is not followed by CRLF');
    const headersEnd = buffer.indexOf('\r\n\r\n', at + 2);
    if (headersEnd < 0) throw malformed('a part has no end of headers');
    const next = buffer.indexOf(Buffer.from(`\r\n--${boundary}`), headersEnd + 4);
    if (next < 0) throw malformed('the closing boundary is missing');
    const headers = buffer.subarray(at + 2, headersEnd).toString('utf8').split('\r\n');
    const header = (name: string) => headers.find((line) => line.toLowerCase().startsWith(`${name}:`))?.slice(name.length + 1).trim();
    const disposition = header('content-disposition');
    const name = disposition && /^form-data\b/i.test(disposition) ? headerParam(disposition, 'name') : undefined;
    if (name === undefined) throw malformed('a part has no form-data name');
    const fileName = headerParam(disposition!, 'filename');
    const contentType = header('content-type') ?? '';
    const content = buffer.subarray(headersEnd + 4, next);
    const isFile = fileName !== undefined || (contentType !== '' && !/^text\/plain\b/i.test(contentType));
    if (!(name in form.fields || name in form.files)) {
      if (isFile) form.files[name] = { bytes: new Uint8Array(content), contentType, fileName: fileName ?? '' };
      else form.fields[name] = content.toString('utf8');
    }
    at = next + 2;
  }
}

/**
 * multipart/form-data bodies, read with the runtime's own form-data parser (undici's, behind
 * `Response.formData()`): the body is already in memory and bounded by the route's body limit,
 * so there is nothing to stream. Text parts come back as strings, file parts as bytes with their
 * declared type. A body that does not parse is a 400.
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

/** The media type of the request, lower case, without parameters. */
export const mediaTypeOf = (event: Pick<PorticoHttpEvent, 'headers'>): string => (event.headers?.['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();

/** The raw body bytes: the adapters deliver binary bodies base64-encoded. */
export function bodyBytesOf(event: Pick<PorticoHttpEvent, 'body' | 'isBase64Encoded'>): Uint8Array {
  const body = event.body ?? '';
  return new Uint8Array(event.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8'));
}

/** Parses a multipart/form-data body; the first part of each name wins. */
export async function parseMultipart(event: Pick<PorticoHttpEvent, 'headers' | 'body' | 'isBase64Encoded'>): Promise<MultipartForm> {
  const contentType = event.headers?.['content-type'] ?? '';
  if (!/boundary=/i.test(contentType)) throw badRequest('malformed_multipart', 'A multipart/form-data body needs a boundary parameter.');
  let form: FormData;
  try {
    form = await new Response(bodyBytesOf(event), { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw badRequest('malformed_multipart', 'The multipart/form-data body could not be read.');
  }
  const fields: Record<string, string> = {};
  const files: Record<string, FilePart> = {};
  for (const [name, value] of form) {
    if (name in fields || name in files) continue;
    if (typeof value === 'string') fields[name] = value;
    else files[name] = { bytes: new Uint8Array(await value.arrayBuffer()), contentType: value.type, fileName: value.name };
  }
  return { fields, files };
}

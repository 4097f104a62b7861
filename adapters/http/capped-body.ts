/**
 * Reads a fetch Response's body up to a limit. An answer is untrusted: a declared or streamed
 * size over the limit stops the download, so a huge (or endless) body costs at most `maxBytes`.
 */

/** The body's bytes, or undefined when it is larger than `maxBytes` (the rest is not downloaded). */
export async function readCappedBody(response: Response, maxBytes: number): Promise<Uint8Array | undefined> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > maxBytes) {
    await response.body?.cancel();
    return undefined;
  }
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

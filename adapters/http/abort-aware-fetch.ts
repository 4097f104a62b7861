/**
 * fetch, with an aborted request always rejecting as an `AbortError` of this realm. The SDK tells
 * its own timeout from a broken connection by that name; a DOMException made in another realm
 * (Node's fetch under a VM context, as Jest runs us) would be reported as a connection error.
 */
export const abortAwareFetch: typeof fetch = async (input, init) => {
  try {
    return await fetch(input, init);
  } catch (error) {
    if (init?.signal?.aborted) throw Object.assign(new Error('The request was aborted.'), { name: 'AbortError' });
    throw error;
  }
};

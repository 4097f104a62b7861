/**
 * The segmentation service client (background removal): POSTs the image with the shared token
 * as a bearer credential, and expects a PNG with an alpha channel back. Every way it can fail
 * (timeout, refused connection, non-2xx, an answer that is not a PNG or is too large) becomes
 * a SegmentationError with a reason, so the caller can skip the step and keep the upload.
 */
import { SegmentationError, type BackgroundRemover } from '../../domain/wardrobe/media.ts';
import { sniffImageType } from '../../domain/wardrobe/image-formats.ts';
import { readCappedBody } from '../http/capped-body.ts';

export interface HttpSegmentationOptions {
  endpoint: URL;
  token: string;
  timeoutMs: number;
  /** Largest answer read; the rest is not downloaded. */
  maxResponseBytes?: number;
  fetch?: typeof fetch;
}

const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

export class HttpSegmentation implements BackgroundRemover {
  readonly #options: HttpSegmentationOptions;

  constructor(options: HttpSegmentationOptions) {
    this.#options = options;
  }

  async removeBackground(image: { bytes: Uint8Array; contentType: string }, signal?: AbortSignal): Promise<Uint8Array> {
    const { endpoint, token, timeoutMs } = this.#options;
    const limit = this.#options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      const response = await (this.#options.fetch ?? fetch)(endpoint, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': image.contentType, accept: 'image/png' },
        body: image.bytes,
        signal: combined,
        redirect: 'error',
      });
      if (!response.ok) {
        await response.body?.cancel();
        throw new SegmentationError('rejected', `The segmentation service answered ${response.status}.`);
      }
      const bytes = await readCappedBody(response, limit);
      if (!bytes) throw new SegmentationError('invalid_response', `The segmentation answer is larger than ${limit} bytes.`);
      if (sniffImageType(bytes) !== 'image/png') throw new SegmentationError('invalid_response', 'The segmentation service did not answer with a PNG.');
      return bytes;
    } catch (error) {
      if (error instanceof SegmentationError) throw error;
      if (timeout.aborted) throw new SegmentationError('timeout', `The segmentation service did not answer within ${timeoutMs} ms.`);
      throw new SegmentationError('unreachable', 'The segmentation service could not be reached.');
    }
  }
}


/** POST /api/process-image: the body is the image itself (see functions.ts). */
import type { HttpLambda } from '../../../kernel/functions.ts';
import { AppError, badRequest, unauthorized } from '../../../domain/errors.ts';
import { declaredImageType, IMAGE_TYPES } from '../../../domain/wardrobe/image-formats.ts';
import { httpHandler, json, type HttpPlatform } from '../../../middleware/http-stack.ts';
import { processImage } from './functions.ts';
import { createMediaService, type MediaServiceDeps } from './service.ts';

export interface ProcessImageDeps extends MediaServiceDeps {
  platform: HttpPlatform;
}

export function createHandler(deps: ProcessImageDeps): HttpLambda {
  const service = createMediaService(deps);
  return httpHandler(
    processImage,
    async (event, context) => {
      if (!context.principal) throw unauthorized();
      const declared = declaredImageType(event.headers?.['content-type']);
      if (!declared) throw new AppError(415, 'unsupported_media_type', `Send the image bytes with Content-Type ${IMAGE_TYPES.join(', ')}.`);
      if (!event.body) throw badRequest('body_required', 'The request has no image.');
      // The adapters deliver binary bodies base64-encoded; a text body is taken as it came.
      const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
      const upload = await service.processUpload(context.principal.userId, new Uint8Array(bytes), declared, context.log);
      return json(201, upload);
    },
    deps.platform,
  );
}

let wired: HttpLambda | undefined;

/** Built on the first request, so loading the module (the function table, the docs) costs nothing. */
export const handler: HttpLambda = async (event, context) => {
  if (!wired) {
    const { getHttpPlatform } = await import('../../../app/composition.ts');
    const { getMediaServiceDeps } = await import('./wiring.ts');
    wired = createHandler({ ...getMediaServiceDeps(), platform: getHttpPlatform() });
  }
  return wired(event, context);
};

/**
 * The media routes' own composition: the pieces app/composition.ts does not build. Each is
 * built once per cold start, on first use.
 */
import { HttpSegmentation } from '../../../adapters/segmentation/http-segmentation.ts';
import { SharpImages } from '../../../adapters/images/sharp-images.ts';
import { getAuth, getBlobStore, getDocumentStore, getHttpPlatform, randomIds, systemClock } from '../../../app/composition.ts';
import type { BackgroundRemover, ImageProcessor } from '../../../domain/wardrobe/media.ts';
import { loadAuthSettings } from '../../../middleware/auth/index.ts';
import type { HttpPlatform } from '../../../middleware/http-stack.ts';
import { withRouteApiKey } from './route-key.ts';
import type { MediaServiceDeps } from './service.ts';
import { checkMetadataEntraSettings, loadMediaSettings, type MediaSettings } from './settings.ts';

function once<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => (built ??= { value: build() }).value;
}

export const getMediaSettings = once((): MediaSettings => {
  const settings = loadMediaSettings(process.env);
  checkMetadataEntraSettings(process.env, loadAuthSettings().oidc);
  return settings;
});

export const getImageProcessor = once((): ImageProcessor => new SharpImages({ maxInputPixels: getMediaSettings().maxInputPixels }));

export const getBackgroundRemover = once((): BackgroundRemover | undefined => {
  const segmentation = getMediaSettings().segmentation;
  return segmentation && new HttpSegmentation(segmentation);
});

export const getMediaServiceDeps = once(
  (): MediaServiceDeps => ({
    documents: getDocumentStore(),
    blobs: getBlobStore(),
    images: getImageProcessor(),
    segmentation: getBackgroundRemover(),
    settings: getMediaSettings(),
    ids: randomIds,
    clock: systemClock,
  }),
);

/** The standard platform, plus METADATA_EXTRACT_API_KEY accepted on the metadata route only. */
export const getMetadataPlatform = once((): HttpPlatform => {
  const platform = getHttpPlatform();
  return { ...platform, authenticate: withRouteApiKey(getAuth().authenticate, getMediaSettings().metadataApiKey, 'metadata-extract') };
});

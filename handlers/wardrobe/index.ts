/**
 * The wardrobe service (PluckIt): media and metadata, uploads and drafts, items and insights, chat with memory,
 * moods, taste calibration, weekly digests and the product scraper. Each area owns a folder of
 * the same shape as a service (functions, schemas, routes, jobs, store, settings).
 */
import { defineService } from '../../kernel/services.ts';
import { chatFunctions } from './chat/functions.ts';
import { chatContainers } from './chat/store.ts';
import { eraseCollectionLinks } from './collections/erase.ts';
import { collectionsFunctions } from './collections/functions.ts';
import { collectionsContainers, collectionsErasable } from './collections/store.ts';
import { digestFunctions } from './digest/functions.ts';
import { draftsFunctions } from './drafts/functions.ts';
import { draftJobs } from './drafts/jobs.ts';
import { digestJobs } from './digest/jobs.ts';
import { digestContainers } from './digest/store.ts';
import { insightsFunctions } from './insights/functions.ts';
import { itemsFunctions } from './items/functions.ts';
import { itemsContainers } from './items/store.ts';
import { mediaFunctions } from './media/functions.ts';
import { mediaContainers } from './media/store.ts';
import { moodsFunctions } from './moods/functions.ts';
import { moodsContainers } from './moods/store.ts';
import { profileFunctions } from './profile/functions.ts';
import { profileContainers } from './profile/store.ts';
import { scraperFunctions } from './scraper/functions.ts';
import { scraperJobs } from './scraper/jobs.ts';
import { scraperContainers } from './scraper/store.ts';
import { loadWardrobeSettings, WARDROBE_VARIABLES } from './settings.ts';
import { stylistFunctions } from './stylist/functions.ts';
import { tasteFunctions } from './taste/functions.ts';
import { tasteJobs } from './taste/jobs.ts';
import { tasteContainers } from './taste/store.ts';

const containers = [...mediaContainers, ...itemsContainers, ...chatContainers, ...moodsContainers, ...tasteContainers, ...digestContainers, ...scraperContainers, ...profileContainers];

export default defineService({
  name: 'wardrobe',
  summary: 'PluckIt: wardrobe media and metadata, uploads and drafts, items and insights, collections, profile, chat with memory, moods, taste jobs, digests and the scraper.',
  functions: [...mediaFunctions, ...draftsFunctions, ...itemsFunctions, ...insightsFunctions, ...chatFunctions, ...moodsFunctions, ...tasteFunctions, ...digestFunctions, ...scraperFunctions, ...collectionsFunctions, ...profileFunctions, ...stylistFunctions],
  jobs: [...draftJobs, ...tasteJobs, ...digestJobs, ...scraperJobs],
  containers: [...containers, ...collectionsContainers],
  settings: { variables: WARDROBE_VARIABLES, load: loadWardrobeSettings },
  // Every container in `containers` is partitioned by userId; the images (original and processed)
  // are named `<encoded userId>/<imageId>.<ext>` (domain/wardrobe/media.ts imageBlobName).
  // Collections are shared: owned ones are found by ownerId, and the custom step leaves the
  // joined ones and removes the user's links (collections/erase.ts).
  erase: {
    documents: [...containers.map((container) => ({ container })), ...collectionsErasable],
    custom: (context, userId) => eraseCollectionLinks(context, userId),
    blobs: ({ media }, userId) => [media.archiveContainer, media.imagesContainer].map((container) => ({ container, prefix: `${encodeURIComponent(userId)}/` })),
  },
});

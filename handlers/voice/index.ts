/**
 * The voice service (seed 002, voice cloning): uploads straight to blob storage, blob-triggered
 * audio processing, enrollment and training with a provider, a training monitor, synthesis, and
 * the user's webhooks (events recorded as notifications, delivered by a timer and a job).
 */
import { defineService } from '../../kernel/services.ts';
import { voiceFunctions } from './functions.ts';
import { voiceJobs } from './jobs.ts';
import { loadVoiceSettings, UPLOADS_CONTAINER, VOICE_VARIABLES } from './settings.ts';
import { cleanupContainer, userPrefix, voiceContainers } from './store.ts';

export default defineService({
  name: 'voice',
  summary: 'Voice cloning: audio uploads processed on arrival, enrollment and training with a voice provider, speech synthesis, and signed webhooks for the user\'s events.',
  functions: voiceFunctions,
  jobs: voiceJobs,
  // The enrollment, synthesis and webhook-delivery backlogs, under the names the deployment gives the queues.
  healthQueues: voiceJobs,
  containers: [...voiceContainers, cleanupContainer],
  settings: { variables: VOICE_VARIABLES, load: loadVoiceSettings },
  // Every document (webhook registrations and notifications too) names its user in `owner`; every blob is under the user's prefix.
  erase: {
    documents: voiceContainers.map((container) => ({ container, userField: 'owner' })),
    blobs: ({ containers }, userId) =>
      [UPLOADS_CONTAINER, containers.samples, containers.archive, containers.synthesis].map((container) => ({ container, prefix: userPrefix(userId) })),
  },
});

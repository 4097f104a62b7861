/** Every Cosmos container, created idempotently when the document store is first used. */
import type { ContainerSpec } from '../domain/ports.ts';
import { identityContainers } from '../handlers/identity/containers.ts';
import { jobRuntimeContainers } from '../jobs/containers.ts';
import { jobs } from './jobs.ts';
import { rateLimitsContainer } from '../middleware/rate-limit.ts';
import { webhookDeliveriesContainer } from '../middleware/webhooks.ts';
import { wardrobeContainers } from '../handlers/wardrobe/containers.ts';

export const containers: readonly ContainerSpec[] = [...jobRuntimeContainers(jobs), ...identityContainers, rateLimitsContainer, webhookDeliveriesContainer, ...wardrobeContainers];

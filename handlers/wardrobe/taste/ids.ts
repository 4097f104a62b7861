/**
 * Taste job ids carry a tag of their owner, so a status request for another user's job is a
 * 404 without reading anything, and a hash of the submission, so a duplicate is the same job.
 */
import { createHash } from 'node:crypto';
import type { TasteAnswer } from '../../../domain/wardrobe/taste.ts';

const digest = (text: string, length: number) => createHash('sha256').update(text).digest('hex').slice(0, length);

export const ownerTag = (userId: string) => digest(`taste-owner\n${userId}`, 16);

/** Same user, same profile revision, same (canonical) answers: same job. */
export const tasteJobId = (userId: string, revision: number, answers: readonly TasteAnswer[]) =>
  `taste-${ownerTag(userId)}-${digest(`${userId}\n${revision}\n${JSON.stringify(answers)}`, 24)}`;

export const ownsTasteJob = (userId: string, jobId: string) => jobId.startsWith(`taste-${ownerTag(userId)}-`);

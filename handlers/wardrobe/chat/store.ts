/**
 * The chat containers, all partitioned by the owner's user id, so a read with another user's
 * id finds nothing (404, never 403) and a user's data is one partition.
 */
import type { ContainerSpec, Document } from '../../../domain/ports.ts';
import type { ModelUsage } from '../../../domain/ai.ts';

/** A conversation's header; `messageCount` also hands out each message's `seq` (ETag-guarded). */
export const conversationsContainer: ContainerSpec = { name: 'chat-conversations', partitionKey: 'userId' };
/** One document per turn: the user's message or the assistant's answer. */
export const messagesContainer: ContainerSpec = { name: 'chat-messages', partitionKey: 'userId' };
/** One document per user (`id: 'facts'`) holding every fact, so the bound and dedupe are one ETag-checked write. */
export const memoryContainer: ContainerSpec = { name: 'chat-memory', partitionKey: 'userId' };
/** One document per user (`id: 'streams'`): the leases of the streams in flight, for the per-user cap. */
export const streamsContainer: ContainerSpec = { name: 'chat-streams', partitionKey: 'userId' };

export interface ConversationDoc extends Document {
  userId: string;
  title: string;
  messageCount: number;
  createdAt: string;
  updatedAt: string;
}

export type TurnStatus = 'complete' | 'incomplete';

export interface MessageDoc extends Document {
  userId: string;
  conversationId: string;
  /** Order within the conversation, from 1. */
  seq: number;
  role: 'user' | 'assistant';
  content: string;
  /** An answer is stored `incomplete` before it starts and only becomes `complete` after the model's `done`. */
  status: TurnStatus;
  /** Why an answer is incomplete (an error code, `client_closed`, `stream_time_limit`). */
  error?: string;
  model?: string;
  usage?: ModelUsage;
  createdAt: string;
  updatedAt: string;
}

export interface MemoryFact {
  id: string;
  text: string;
  /** The dedupe key (factKey). */
  key: string;
  source: 'chat' | 'api';
  createdAt: string;
}

export interface MemoryDoc extends Document {
  userId: string;
  facts: MemoryFact[];
}

export interface StreamLease {
  id: string;
  /** Epoch ms after which a lease whose stream never released it (a crash) stops counting. */
  until: number;
}

export interface StreamsDoc extends Document {
  userId: string;
  leases: StreamLease[];
}

export const chatContainers: readonly ContainerSpec[] = [conversationsContainer, messagesContainer, memoryContainer, streamsContainer];

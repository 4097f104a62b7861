/**
 * The diagnosis's conversations and messages, in the shared garage containers (store.ts), read
 * through `garageRepository`: finding the caller's own conversation and vehicle, the v2 limits,
 * the context window, and storing a whole turn (user and assistant messages) once the answer is
 * complete. A turn that fails stores nothing, so a failed model call never leaves half a turn.
 */
import { AppError, notFound, PreconditionFailedError } from '../../../domain/errors.ts';
import type { Clock, DocumentStore, IdSource, Stored } from '../../../domain/ports.ts';
import type { Turn } from '../../../domain/prompt-budget.ts';
import { MAX_PROMPT_MODS, type VehicleFacts } from '../../../domain/garage/diagnose.ts';
import {
  conversationsContainer,
  garageRepository,
  messagesContainer,
  modsContainer,
  SCHEMA_VERSIONS,
  vehiclesContainer,
  type AttachmentInfo,
  type ConversationDoc,
  type MessageDoc,
  type ModDoc,
  type VehicleDoc,
} from '../store.ts';

export interface TurnsDeps {
  documents: DocumentStore;
  clock: Clock;
  ids: IdSource;
}

export interface Limits {
  maxNewConversationsPerMonth: number;
  maxMessagesPerConversation: number;
}

/** Messages one turn adds: the question and the answer. */
export const MESSAGES_PER_TURN = 2;

/** 00:00 UTC on the 1st of the month of `now`, and of the next month. */
export function monthOf(now: Date): { start: Date; end: Date } {
  return { start: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)), end: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)) };
}

export const monthlyLimit = (limit: number, periodEnd: Date) =>
  new AppError(402, 'monthly_limit', `You have started ${limit} diagnose conversations this month, the most allowed; the count starts again on ${periodEnd.toISOString().slice(0, 10)}.`);
export const conversationLimit = (limit: number) =>
  new AppError(402, 'conversation_limit', `This conversation has reached its limit of ${limit} messages; start a new one.`);

export interface NewTurn {
  userId: string;
  /** Undefined to start a conversation. */
  conversation: Stored<ConversationDoc> | undefined;
  conversationId: string;
  route: ConversationDoc['route'];
  vehicleId: string | null;
  title: string;
  question: { text: string; attachments: AttachmentInfo[]; transcript: string | null; at: Date };
  answer: { text: string; at: Date };
}

export function createTurns(deps: TurnsDeps) {
  const conversations = garageRepository<ConversationDoc>(deps.documents, conversationsContainer);
  const messages = garageRepository<MessageDoc>(deps.documents, messagesContainer);
  const vehicles = garageRepository<VehicleDoc>(deps.documents, vehiclesContainer);
  const mods = garageRepository<ModDoc>(deps.documents, modsContainer);

  /** The caller's vehicle with its mods (oldest first, bounded), or 404. */
  async function vehicle(userId: string, vehicleId: string): Promise<{ doc: VehicleDoc; facts: VehicleFacts }> {
    const doc = await vehicles.get(vehicleId, userId);
    if (!doc) throw notFound('No such vehicle.');
    const page = await mods.query({ partitionKey: userId, filters: [{ field: 'vehicleId', op: '=', value: vehicleId }], orderBy: { field: 'createdAt', direction: 'asc' }, limit: MAX_PROMPT_MODS + 1 });
    return { doc, facts: { make: doc.make, model: doc.model, year: doc.year, trim: doc.trim, mods: page.items.map((mod) => ({ name: mod.name, description: mod.description })) } };
  }

  /** The caller's conversation, or 404 (another user's id finds nothing in this partition). */
  async function conversation(userId: string, conversationId: string): Promise<Stored<ConversationDoc>> {
    const found = await conversations.get(conversationId, userId);
    if (!found) throw notFound('No such conversation.');
    return found;
  }

  /** v2's limits: conversations started this month (UTC), or messages in this one. */
  async function checkLimits(userId: string, existing: ConversationDoc | undefined, limits: Limits): Promise<void> {
    if (existing) {
      if (existing.messageCount + MESSAGES_PER_TURN > limits.maxMessagesPerConversation) throw conversationLimit(limits.maxMessagesPerConversation);
      return;
    }
    const { start, end } = monthOf(deps.clock.now());
    // Reads at most `limit` documents: enough to know the limit is reached.
    const page = await conversations.query({
      partitionKey: userId,
      filters: [{ field: 'route', op: '=', value: 'v2' }, { field: 'createdAt', op: '>=', value: start.toISOString() }],
      limit: limits.maxNewConversationsPerMonth,
    });
    if (page.items.length >= limits.maxNewConversationsPerMonth) throw monthlyLimit(limits.maxNewConversationsPerMonth, end);
  }

  /** The newest `count` messages of the conversation as turns, oldest first. */
  async function history(userId: string, conversationId: string, count: number): Promise<Turn[]> {
    if (count === 0) return [];
    const page = await messages.query({
      partitionKey: userId,
      filters: [{ field: 'conversationId', op: '=', value: conversationId }],
      orderBy: { field: 'createdAt', direction: 'desc' },
      limit: count,
    });
    return page.items.reverse().map((message) => ({ role: message.sender === 'ai' ? 'assistant' : 'user', content: message.text }));
  }

  /**
   * Stores the turn: the conversation (created, or its count raised under its ETag, so two turns
   * at once cannot both pass the limit unseen), then the two messages.
   */
  async function store(turn: NewTurn, limits: Limits | undefined): Promise<void> {
    const now = deps.clock.now().toISOString();
    if (!turn.conversation) {
      await conversations.create({
        id: turn.conversationId, userId: turn.userId, schemaVersion: SCHEMA_VERSIONS['garage-conversations'], createdAt: now, updatedAt: now,
        vehicleId: turn.vehicleId, title: turn.title, messageCount: MESSAGES_PER_TURN, route: turn.route,
      });
    } else {
      let current: Stored<ConversationDoc> = turn.conversation;
      for (let attempt = 0; ; attempt++) {
        if (limits && current.messageCount + MESSAGES_PER_TURN > limits.maxMessagesPerConversation) throw conversationLimit(limits.maxMessagesPerConversation);
        const { etag, ...doc } = current;
        try {
          await conversations.replace({ ...doc, messageCount: doc.messageCount + MESSAGES_PER_TURN, vehicleId: doc.vehicleId ?? turn.vehicleId, updatedAt: now }, etag);
          break;
        } catch (error) {
          if (!(error instanceof PreconditionFailedError) || attempt >= 2) throw error;
          current = await conversation(turn.userId, turn.conversationId);
        }
      }
    }
    const base = { userId: turn.userId, schemaVersion: SCHEMA_VERSIONS['garage-messages'], conversationId: turn.conversationId };
    const questionAt = turn.question.at.toISOString();
    // The answer sorts after its question even when both fall in the same millisecond.
    const answerAt = new Date(Math.max(turn.answer.at.getTime(), turn.question.at.getTime() + 1)).toISOString();
    await messages.create({ ...base, id: deps.ids.next(), sender: 'user', text: turn.question.text, attachments: turn.question.attachments, transcript: turn.question.transcript, createdAt: questionAt, updatedAt: questionAt });
    await messages.create({ ...base, id: deps.ids.next(), sender: 'ai', text: turn.answer.text, attachments: [], transcript: null, createdAt: answerAt, updatedAt: answerAt });
  }

  return { vehicle, conversation, checkLimits, history, store };
}

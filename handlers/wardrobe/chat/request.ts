/**
 * The chat request as both PluckIt clients send it, normalised in this one place: the web sends
 * camelCase (`recentMessages`, `selectedItemIds`, `traceId`), the iOS app snake_case
 * (`recent_messages`, `selected_item_ids`, `trace_id`). The upstream read only camelCase and so
 * dropped the app's history and trace id (contract section 9.2). When both spellings are sent,
 * camelCase wins. The trace id falls back to the `X-Trace-Id` header.
 */
import type { Turn } from '../../../domain/wardrobe/prompt.ts';

export interface ChatBody {
  message: string;
  recentMessages?: Turn[];
  recent_messages?: Turn[];
  selectedItemIds?: (string | null)[] | null;
  selected_item_ids?: (string | null)[] | null;
  traceId?: string;
  trace_id?: string;
  /** Portico's own: continue a stored conversation (its turns are the history when the body sends none). */
  conversationId?: string;
}

export interface ChatRequest {
  message: string;
  /** The client's recent turns, oldest first; undefined when it sent none (not even an empty list). */
  history?: Turn[];
  selectedItemIds: string[];
  traceId?: string;
  conversationId?: string;
}

/** Longest trace id echoed back; a longer header is ignored rather than refused (it is only a label). */
export const TRACE_ID_MAX_CHARS = 200;

export function chatRequestOf(body: ChatBody, headers: Record<string, string | undefined> = {}): ChatRequest {
  const history = body.recentMessages ?? body.recent_messages;
  const selected = body.selectedItemIds ?? body.selected_item_ids ?? [];
  // Header names arrive in whatever case the runtime gives them.
  const header = Object.entries(headers).find(([name]) => name.toLowerCase() === 'x-trace-id')?.[1];
  const traceId = body.traceId ?? body.trace_id ?? (header && header.trim() && header.length <= TRACE_ID_MAX_CHARS ? header.trim() : undefined);
  return {
    message: body.message,
    ...(history ? { history: history.map(({ role, content }) => ({ role, content })) } : {}),
    selectedItemIds: [...new Set(selected.filter((id): id is string => typeof id === 'string'))],
    ...(traceId ? { traceId } : {}),
    ...(body.conversationId ? { conversationId: body.conversationId } : {}),
  };
}

/**
 * The user's memory facts: one document per user holding all of them, so the count bound and
 * the dedupe hold under concurrent writers (one ETag-checked read-modify-write).
 */
import { readModifyWrite } from '../../../domain/documents.ts';
import { AppError, badRequest } from '../../../domain/errors.ts';
import type { Clock, DocumentStore, IdSource } from '../../../domain/ports.ts';
import { factKey, normaliseFact } from '../../../domain/wardrobe/memory.ts';
import { memoryContainer, type MemoryDoc, type MemoryFact } from './store.ts';

const DOC_ID = 'facts';

export interface MemoryLimits {
  memoryMaxFacts: number;
  memoryMaxFactChars: number;
}

export const memoryFull = (max: number) => new AppError(409, 'memory_full', `The memory holds at most ${max} facts; delete one first.`);

export type FactView = Omit<MemoryFact, 'key'>;
export const factView = ({ key: _key, ...fact }: MemoryFact): FactView => fact;

export function createMemoryStore(deps: { documents: DocumentStore; clock: Clock; ids: IdSource; limits: MemoryLimits }) {
  const repository = deps.documents.repository<MemoryDoc>(memoryContainer);
  const { memoryMaxFacts, memoryMaxFactChars } = deps.limits;

  /** The fact as it would be stored, or a 400 when it is empty or too long after tidying. */
  const prepare = (text: string): { text: string; key: string } => {
    const tidy = normaliseFact(text);
    if (!tidy || !factKey(tidy)) throw badRequest('invalid_fact', 'A fact needs some words.');
    if (tidy.length > memoryMaxFactChars) throw badRequest('fact_too_long', `A fact may be at most ${memoryMaxFactChars} characters.`);
    return { text: tidy, key: factKey(tidy) };
  };

  const list = async (userId: string): Promise<MemoryFact[]> => (await repository.get(DOC_ID, userId))?.facts ?? [];

  return {
    list,

    /** Refuses (400, 409) what `add` would refuse, without writing: checks made before a chat stream commits to anything. */
    async check(userId: string, text: string): Promise<void> {
      const { key } = prepare(text);
      const facts = await list(userId);
      if (!facts.some((fact) => fact.key === key) && facts.length >= memoryMaxFacts) throw memoryFull(memoryMaxFacts);
    },

    /** Saves the fact, or finds the same fact already saved (`created: false`). */
    async add(userId: string, text: string, source: MemoryFact['source']): Promise<{ fact: MemoryFact; created: boolean }> {
      const { text: tidy, key } = prepare(text);
      let result: { fact: MemoryFact; created: boolean } | undefined;
      await readModifyWrite(repository, DOC_ID, userId, (current) => {
        const facts = current?.facts ?? [];
        const existing = facts.find((fact) => fact.key === key);
        if (existing) {
          result = { fact: existing, created: false };
          return undefined;
        }
        if (facts.length >= memoryMaxFacts) throw memoryFull(memoryMaxFacts);
        const fact: MemoryFact = { id: deps.ids.next(), text: tidy, key, source, createdAt: deps.clock.now().toISOString() };
        result = { fact, created: true };
        return { id: DOC_ID, userId, facts: [...facts, fact] };
      });
      return result!;
    },

    /** True when the fact existed. */
    async remove(userId: string, id: string): Promise<boolean> {
      let removed = false;
      await readModifyWrite(repository, DOC_ID, userId, (current) => {
        const facts = current?.facts ?? [];
        removed = facts.some((fact) => fact.id === id);
        return removed && current ? { id: DOC_ID, userId, facts: facts.filter((fact) => fact.id !== id) } : undefined;
      });
      return removed;
    },
  };
}

export type MemoryStore = ReturnType<typeof createMemoryStore>;

// Conversation flows persisted in the database, so a restart in the middle of a flow resumes it.
// Each flow carries an id that its buttons repeat: a button from an older flow cannot act on a newer one.
import type { ConversationStore } from "./ports.js";

export interface FlowState<D extends object = Record<string, unknown>> {
  flow: string;
  step: string;
  id: string;
  data: D;
}

export interface FlowHandle {
  /** The chat's flow key ("chatId:userId"): a flow's save is recorded under it (app/flow-saves.ts). */
  readonly key: string;
  get(): Promise<FlowState | null>;
  /** The current flow if it has this name (and, when given, this id). */
  current<D extends object = Record<string, unknown>>(flow: string, id?: string): Promise<FlowState<D> | null>;
  start<D extends object>(flow: string, step: string, data: D): Promise<FlowState<D>>;
  update<D extends object>(state: FlowState<D>): Promise<void>;
  clear(): Promise<void>;
}

export function flowKey(chatId: number, userId: number): string {
  return `${chatId}:${userId}`;
}

export function createFlowHandle(conversations: ConversationStore, key: string, newId: () => string): FlowHandle {
  let cached: FlowState | null | undefined;
  const get = async (): Promise<FlowState | null> => {
    if (cached !== undefined) return cached;
    const row = await conversations.get(key);
    const { __id, ...data } = row?.data ?? {};
    cached = row ? { flow: row.flow, step: row.step, id: String(__id ?? ""), data } : null;
    return cached;
  };
  const update = async <D extends object>(state: FlowState<D>): Promise<void> => {
    cached = state as FlowState<Record<string, unknown>>;
    await conversations.set(key, { flow: state.flow, step: state.step, data: { ...state.data, __id: state.id } });
  };
  return {
    key,
    get,
    async current<D extends object>(flow: string, id?: string) {
      const state = await get();
      if (!state || state.flow !== flow || (id !== undefined && state.id !== id)) return null;
      return state as unknown as FlowState<D>;
    },
    async start<D extends object>(flow: string, step: string, data: D) {
      const state: FlowState<D> = { flow, step, id: newId(), data };
      await update(state);
      return state;
    },
    update,
    async clear() {
      cached = null;
      await conversations.clear(key);
    },
  };
}

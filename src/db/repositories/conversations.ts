// Chat flows in progress, persisted so a restart resumes them.
import type { Tx } from "../client.js";

export interface ConversationRecord {
  flow: string;
  step: string;
  data: Record<string, unknown>;
}

export function conversationRepository(db: Tx) {
  return {
    async get(key: string): Promise<ConversationRecord | null> {
      const row = await db.conversationState.findUnique({ where: { key } });
      return row ? { flow: row.flow, step: row.step, data: JSON.parse(row.data) as Record<string, unknown> } : null;
    },
    async set(key: string, state: ConversationRecord): Promise<void> {
      const data = JSON.stringify(state.data);
      await db.conversationState.upsert({
        where: { key },
        create: { key, flow: state.flow, step: state.step, data },
        update: { flow: state.flow, step: state.step, data },
      });
    },
    async clear(key: string): Promise<void> {
      await db.conversationState.deleteMany({ where: { key } });
    },
    /** Clears the chat's flow only if it is still the one with this id (kept in its data as `__id`, see bot/flow.ts). */
    async clearIfFlow(key: string, flowId: string): Promise<void> {
      const row = await db.conversationState.findUnique({ where: { key }, select: { data: true } });
      if (row && (JSON.parse(row.data) as { __id?: unknown }).__id === flowId)
        await db.conversationState.deleteMany({ where: { key } });
    },
  };
}

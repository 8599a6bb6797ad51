// Flows' saved results: one row per (chat, flow id), written in the transaction that saves what the flow
// built, so a later press of that flow's buttons finds it instead of saving again (see src/app/flow-saves.ts).
import type { Tx } from "../client.js";
import { conversationRepository } from "./conversations.js";

export interface FlowSaveRecord {
  flow: string;
  summary: string;
  savedAt: Date;
  /** When an undo took back what was saved. */
  undoneAt: Date | null;
}

const select = { flow: true, summary: true, savedAt: true, undoneAt: true } as const;

export function flowSaveRepository(db: Tx) {
  return {
    async find(chatKey: string, flowId: string): Promise<FlowSaveRecord | null> {
      return db.flowSave.findUnique({ where: { chatKey_flowId: { chatKey, flowId } }, select });
    },

    /** What this chat's Telegram update `updateId` saved, if it saved a flow's result. */
    async findByUpdate(chatKey: string, updateId: number): Promise<FlowSaveRecord | null> {
      return db.flowSave.findFirst({ where: { updateId: String(updateId), chatKey }, select });
    },

    /**
     * Records that this chat's flow `flowId` saved its result, and closes the flow if it is still the chat's
     * current one — in the caller's transaction, with what was saved and the update that saved it. A second
     * record for the same flow fails (unique key), rolling the caller's transaction back.
     */
    async record(
      chatKey: string,
      flowId: string,
      flow: string,
      summary: string,
      at: Date,
      subject: string | null = null,
      updateId: number | null = null,
    ): Promise<void> {
      await db.flowSave.create({
        data: {
          chatKey,
          flowId,
          flow,
          summary,
          savedAt: at,
          subject,
          updateId: updateId === null ? null : String(updateId),
        },
      });
      await conversationRepository(db).clearIfFlow(chatKey, flowId);
    },

    /** Marks the saves that wrote `subject` as taken back by an undo (in the undo's transaction). */
    async markUndone(subject: string, at: Date): Promise<void> {
      await db.flowSave.updateMany({ where: { subject, undoneAt: null }, data: { undoneAt: at } });
    },

    async pruneBefore(cutoff: Date): Promise<number> {
      return (await db.flowSave.deleteMany({ where: { savedAt: { lt: cutoff } } })).count;
    },
  };
}

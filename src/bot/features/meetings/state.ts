// The meeting flow's state, shared by its handlers: the branch, the kind, the draft sheet and where the
// secretary is in the steps after it.
import type { MeetingDraft } from "../../../app/attendance-sheet.js";
import type { MeetingKind } from "../../../domain/attendance.js";
import { canManageBranch } from "../../../domain/roles.js";
import type { BotContext } from "../../context.js";
import type { FlowState } from "../../flow.js";
import { encode } from "../../keyboards/callback-data.js";
import { refuse, respond } from "../../reply.js";
import { renderSheet } from "../../views/attendance-sheet.js";

export const MEETING_FLOW = "meeting";

export interface MeetingFlowData {
  branchId: number;
  branchName: string;
  kind?: MeetingKind;
  draft?: MeetingDraft;
  page?: number;
  /** The excused member whose reason is being asked. */
  reasonFor?: number;
  taskMember?: { id: number; name: string };
  taskText?: string;
  taskPage?: number;
}
export type State = FlowState<MeetingFlowData>;

export const cancelRow = (ctx: BotContext, state: State) => [
  { text: ctx.t("common.cancel"), callback_data: encode("fn", state.id) },
];

/** A flow step is allowed only while the actor still manages the branch: roles can end mid-flow. */
export async function stillManages(ctx: BotContext, state: State): Promise<boolean> {
  if (canManageBranch(ctx.actor, state.data.branchId)) return true;
  await ctx.flow.clear();
  await refuse(ctx, { code: "AUTH.FORBIDDEN" });
  return false;
}

export async function showSheet(ctx: BotContext, state: State, asNewMessage = false): Promise<void> {
  await ctx.flow.update(state);
  const { text, keyboard } = renderSheet(ctx.t, state.id, state.data.draft!, state.data.page ?? 0);
  if (asNewMessage && !ctx.callbackQuery) {
    await ctx.reply(text, { reply_markup: { inline_keyboard: keyboard } });
    return;
  }
  await respond(ctx, text, keyboard);
}

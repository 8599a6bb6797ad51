// Editing one field of a member's record: choose the field, type the new value (or pick, or clear).
import { Composer } from "telegraf";
import { editMemberField, viewMember } from "../../app/members.js";
import type { EditableMemberField } from "../../app/members.js";
import type { BotContext } from "../context.js";
import { requestOf, savingRequest } from "../context.js";
import { onAction } from "../actions.js";
import { onFlowAction, onFlowText } from "../flow-handlers.js";
import type { FlowState } from "../flow.js";
import { inRows } from "../keyboards/rows.js";
import { encode } from "../keyboards/callback-data.js";
import { refuse, respond, type Keyboard } from "../reply.js";
import { showMemberCard } from "../views/member-card.js";

const FLOW = "member.edit";
type EditData = { memberId: number; field: EditableMemberField; name?: string };

const FIELDS: EditableMemberField[] = [
  "fullName",
  "kind",
  "birthDate",
  "joinDate",
  "officialDate",
  "arrivalDate",
  "phone",
  "residence",
  "workplace",
];
const REQUIRED: EditableMemberField[] = ["fullName", "kind"];
const DATE_FIELDS: EditableMemberField[] = ["birthDate", "joinDate", "officialDate", "arrivalDate"];

async function save(ctx: BotContext, state: FlowState<EditData>, value: string | null): Promise<void> {
  const name = state.data.field === "fullName" && value ? value.trim() : (state.data.name ?? "");
  const summary = ctx.t("members.edited", { field: ctx.t(`members.fields.${state.data.field}`), name });
  const result = await editMemberField(
    ctx.app,
    savingRequest(ctx, state, summary),
    state.data.memberId,
    state.data.field,
    value,
  );
  if (!result.ok) return refuse(ctx, result);
  await ctx.flow.clear();
  await ctx.reply(
    ctx.t("members.edited", { field: ctx.t(`members.fields.${state.data.field}`), name: result.value.fullName }),
  );
  await showMemberCard(ctx, state.data.memberId);
}

export function memberEditFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  onAction(feature, "me", async (ctx, [memberId]) => {
    const member = await viewMember(ctx.app, requestOf(ctx), memberId);
    if (!member.ok || !member.value.canManage) return refuse(ctx, member.ok ? { code: "AUTH.FORBIDDEN" } : member);
    const rows: Keyboard = inRows(
      FIELDS.map((field) => ({ text: ctx.t(`members.fields.${field}`), callback_data: encode("mf", memberId, field) })),
      2,
    );
    rows.push([{ text: ctx.t("common.back"), callback_data: encode("mv", memberId) }]);
    await respond(ctx, `${member.value.fullName}\n${ctx.t("members.chooseField")}`, rows);
  });
  onAction(feature, "mf", async (ctx, [memberId, field]) => {
    const member = await viewMember(ctx.app, requestOf(ctx), memberId);
    if (!member.ok || !member.value.canManage) return refuse(ctx, member.ok ? { code: "AUTH.FORBIDDEN" } : member);
    const state = await ctx.flow.start(FLOW, "value", { memberId, field, name: member.value.fullName });
    const rows: Keyboard = [];
    if (field === "kind")
      rows.push([
        { text: ctx.t("kinds.OFFICIAL"), callback_data: encode("fk", state.id, "OFFICIAL") },
        { text: ctx.t("kinds.PROBATIONARY"), callback_data: encode("fk", state.id, "PROBATIONARY") },
      ]);
    if (!REQUIRED.includes(field))
      rows.push([{ text: ctx.t("members.clearField"), callback_data: encode("fc", state.id) }]);
    rows.push([{ text: ctx.t("common.cancel"), callback_data: encode("fn", state.id) }]);
    const hint = DATE_FIELDS.includes(field) ? ` ${ctx.t("members.askDateHint")}` : "";
    await ctx.reply(
      `${member.value.fullName}\n${ctx.t("members.askField", { field: ctx.t(`members.fields.${field}`) })}${hint}`,
      { reply_markup: { inline_keyboard: rows } },
    );
  });
  onFlowText<EditData>(feature, FLOW, (ctx, state, text) => save(ctx, state, text));
  onFlowAction<"fk", EditData>(feature, "fk", FLOW, (ctx, state, [, kind]) =>
    save(ctx, state, kind === "OFFICIAL" ? "official" : "probationary"),
  );
  onFlowAction<"fc", EditData>(feature, "fc", FLOW, (ctx, state) => save(ctx, state, null));
  return feature;
}

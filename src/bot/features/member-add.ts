// Adding one member by a short guided flow: name, kind, dates, phone, then a confirm screen.
import { Composer } from "telegraf";
import { addMember, parseMemberField } from "../../app/members.js";
import { viewBranch } from "../../app/branches.js";
import { isoDateIn } from "../../domain/dates.js";
import type { MemberFacts, MemberField } from "../../domain/members.js";
import type { BotContext } from "../context.js";
import { requestOf, savingRequest } from "../context.js";
import { onAction } from "../actions.js";
import type { FlowState } from "../flow.js";
import { onFlowAction, onFlowText } from "../flow-handlers.js";
import { encode } from "../keyboards/callback-data.js";
import { refuse, respond, type Keyboard } from "../reply.js";
import { memberCardText } from "../views/member-card.js";
import type { MessageKey } from "../../i18n/index.js";

const FLOW = "member.add";
type AddData = { branchId: number; branchName: string; facts: Partial<MemberFacts> };

/** The steps in order; official date only for full members. */
const STEPS: { field: MemberField; prompt: MessageKey; optional: boolean }[] = [
  { field: "fullName", prompt: "members.add.askName", optional: false },
  { field: "kind", prompt: "members.add.askKind", optional: false },
  { field: "birthDate", prompt: "members.add.askBirth", optional: true },
  { field: "joinDate", prompt: "members.add.askJoin", optional: true },
  { field: "officialDate", prompt: "members.add.askOfficial", optional: true },
  { field: "phone", prompt: "members.add.askPhone", optional: true },
];

function nextStep(state: FlowState<AddData>, after: MemberField | null): (typeof STEPS)[number] | null {
  const start = after === null ? 0 : STEPS.findIndex((s) => s.field === after) + 1;
  for (const step of STEPS.slice(start)) {
    if (step.field === "officialDate" && state.data.facts.kind === "PROBATIONARY") continue;
    return step;
  }
  return null;
}

function completeFacts(facts: Partial<MemberFacts>): MemberFacts {
  return {
    fullName: facts.fullName ?? "",
    kind: facts.kind ?? "OFFICIAL",
    birthDate: facts.birthDate ?? null,
    joinDate: facts.joinDate ?? null,
    officialDate: facts.officialDate ?? null,
    phone: facts.phone ?? null,
    residence: facts.residence ?? null,
    workplace: facts.workplace ?? null,
  };
}

async function ask(ctx: BotContext, state: FlowState<AddData>, step: (typeof STEPS)[number] | null): Promise<void> {
  if (!step) {
    await ctx.flow.update({ ...state, step: "confirm" });
    const facts = completeFacts(state.data.facts);
    const card = memberCardText(ctx.t, {
      ...facts,
      branchName: state.data.branchName,
      state: "ACTIVE",
      stateSince: null,
      arrivalDate: null,
      linkedTelegramId: null,
    });
    await ctx.reply(ctx.t("members.add.summary", { card }), {
      reply_markup: {
        inline_keyboard: [
          [
            { text: ctx.t("common.confirm"), callback_data: encode("fy", state.id) },
            { text: ctx.t("common.cancel"), callback_data: encode("fn", state.id) },
          ],
        ],
      },
    });
    return;
  }
  await ctx.flow.update({ ...state, step: step.field });
  const rows: Keyboard = [];
  if (step.field === "kind")
    rows.push([
      { text: ctx.t("kinds.OFFICIAL"), callback_data: encode("fk", state.id, "OFFICIAL") },
      { text: ctx.t("kinds.PROBATIONARY"), callback_data: encode("fk", state.id, "PROBATIONARY") },
    ]);
  if (step.optional) rows.push([{ text: ctx.t("common.skip"), callback_data: encode("fs", state.id) }]);
  rows.push([{ text: ctx.t("common.cancel"), callback_data: encode("fn", state.id) }]);
  await ctx.reply(ctx.t(step.prompt, { branch: state.data.branchName }), { reply_markup: { inline_keyboard: rows } });
}

export async function startAddMember(ctx: BotContext, branchId: number): Promise<void> {
  const branch = await viewBranch(ctx.app, requestOf(ctx), branchId);
  if (!branch.ok || !branch.value.canManage) return refuse(ctx, branch.ok ? { code: "AUTH.FORBIDDEN" } : branch);
  const state = (await ctx.flow.start(FLOW, "fullName", {
    branchId,
    branchName: branch.value.branch.name,
    facts: {},
  })) as FlowState<AddData>;
  await ask(ctx, state, nextStep(state, null));
}

export function memberAddFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  onAction(feature, "ma", (ctx, [branchId]) => startAddMember(ctx, branchId));

  onFlowText<AddData>(feature, FLOW, async (ctx, state, text) => {
    const field = state.step as MemberField;
    if (state.step === "confirm") return ctx.reply(ctx.t("common.unknownText"));
    const parsed = parseMemberField(field, text, isoDateIn(ctx.now, ctx.app.timeZone));
    if (!parsed.ok) return refuse(ctx, parsed);
    const next = { ...state, data: { ...state.data, facts: { ...state.data.facts, [field]: parsed.value } } };
    await ask(ctx, next, nextStep(next, field));
  });
  onFlowAction<"fk", AddData>(feature, "fk", FLOW, async (ctx, state, [, kind]) => {
    if (state.step !== "kind") return ctx.answerCbQuery(ctx.t("common.staleButton"));
    const updated = { ...state, data: { ...state.data, facts: { ...state.data.facts, kind } } };
    await ask(ctx, updated, nextStep(updated, "kind"));
  });
  onFlowAction<"fs", AddData>(feature, "fs", FLOW, async (ctx, state) => {
    const step = STEPS.find((s) => s.field === state.step);
    if (!step?.optional) return ctx.answerCbQuery(ctx.t("common.staleButton"));
    await ask(ctx, state, nextStep(state, step.field));
  });
  onFlowAction<"fy", AddData>(feature, "fy", FLOW, async (ctx, state) => {
    if (state.step !== "confirm") return ctx.answerCbQuery(ctx.t("common.staleButton"));
    const facts = completeFacts(state.data.facts);
    const result = await addMember(
      ctx.app,
      savingRequest(ctx, state, ctx.t("members.add.saved", { name: facts.fullName, branch: state.data.branchName })),
      state.data.branchId,
      facts,
    );
    if (!result.ok) return refuse(ctx, result);
    await ctx.flow.clear();
    await respond(ctx, ctx.t("members.add.saved", { name: result.value.fullName, branch: result.value.branchName }), [
      [{ text: ctx.t("members.invite"), callback_data: encode("mi", result.value.id, "MEMBER") }],
      [{ text: ctx.t("branches.addMember"), callback_data: encode("ma", result.value.branchId) }],
    ]);
  });
  return feature;
}

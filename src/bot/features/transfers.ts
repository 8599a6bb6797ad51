// /chuyen: transfers of party activity. Outgoing: choose the member, official or temporary, the
// destination, the letter's number and date (the deadline counts 30 working days); later, arrived or
// returned. Incoming: name, origin, arrival date, the dates of admission and of full membership (each may be
// left to complete later); the member joins the roster, on the books from the arrival.
import { Composer } from "telegraf";
import { viewBranch } from "../../app/branches.js";
import { listMembers, viewMember } from "../../app/members.js";
import {
  branchTransfers,
  closeTransfer,
  introduceTransfer,
  letterDeadline,
  receiveTransfer,
} from "../../app/transfers.js";
import { parseShortText } from "../../domain/attendance.js";
import { isoDateIn, parseTypedDate } from "../../domain/dates.js";
import { parseFullName, parseMemberDate } from "../../domain/members.js";
import { managedBranchIds } from "../../domain/roles.js";
import { formatDate } from "../../i18n/format.js";
import type { BotContext } from "../context.js";
import { requestOf, savingRequest } from "../context.js";
import { onAction } from "../actions.js";
import type { FlowState } from "../flow.js";
import { onFlowAction, onFlowText } from "../flow-handlers.js";
import { encode } from "../keyboards/callback-data.js";
import { refuse, respond, type Keyboard } from "../reply.js";
import { pagedKeyboard } from "../views/paging.js";
import { showMemberCard } from "../views/member-card.js";

const OUT = "transfer.out";
const IN = "transfer.in";
type OutData = {
  memberId: number;
  name: string;
  kind?: "OFFICIAL" | "TEMPORARY";
  organisation?: string;
  letterNumber?: string | null;
};
type InData = { branchId: number; name?: string; origin?: string; arrivedOn?: string; joinDate?: string | null };

async function showTransfers(ctx: BotContext, branchId: number): Promise<void> {
  const list = await branchTransfers(ctx.app, requestOf(ctx), branchId);
  if (!list.ok) return refuse(ctx, list);
  const card = await viewBranch(ctx.app, requestOf(ctx), branchId);
  const lines = list.value.map((t) =>
    ctx.t("away.transferLine", {
      direction: ctx.t(`away.directions.${t.direction}`),
      name: t.memberName,
      kind: ctx.t(`away.transferKinds.${t.kind}`),
      organisation: t.organisation,
      date: formatDate(t.letterDate),
      state: ctx.t(`away.transferStates.${t.state}`),
      deadline:
        t.deadline && t.state === "INTRODUCED"
          ? ctx.t("away.transferDeadline", { deadline: formatDate(t.deadline) })
          : "",
    }),
  );
  const rows: Keyboard = [];
  for (const t of list.value) {
    if (t.direction !== "OUT") continue;
    if (t.state === "INTRODUCED")
      rows.push([
        { text: ctx.t("away.transferArrived", { name: t.memberName }), callback_data: encode("tc", t.id, "ARRIVED") },
        { text: ctx.t("away.transferReturned", { name: t.memberName }), callback_data: encode("tc", t.id, "RETURNED") },
      ]);
    else if (t.state === "ARRIVED" && t.kind === "TEMPORARY")
      rows.push([
        { text: ctx.t("away.transferReturned", { name: t.memberName }), callback_data: encode("tc", t.id, "RETURNED") },
      ]);
  }
  rows.push(
    [{ text: ctx.t("away.transferOut"), callback_data: encode("tO", branchId, 0) }],
    [{ text: ctx.t("away.transferIn"), callback_data: encode("tI", branchId) }],
  );
  const title = ctx.t("away.transfersTitle", { branch: card.ok ? card.value.branch.name : "" });
  await ctx.reply([title, ...(lines.length > 0 ? lines : [ctx.t("away.transfersEmpty")])].join("\n").slice(0, 4000), {
    reply_markup: { inline_keyboard: rows.slice(0, 30) },
  });
}

export function transfersFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command("chuyen", async (ctx) => {
    const scope = managedBranchIds(ctx.actor);
    if (scope !== "all" && scope.length > 0 && scope[0] !== undefined) return showTransfers(ctx, scope[0]);
    return refuse(ctx, { code: "AUTH.FORBIDDEN" });
  });
  onAction(feature, "tO", async (ctx, [branchId, page]) => {
    const members = await listMembers(ctx.app, requestOf(ctx), branchId, page);
    if (!members.ok) return refuse(ctx, members);
    const buttons = members.value.items.map((m) => ({ text: m.fullName, callback_data: encode("to", m.id) }));
    await respond(
      ctx,
      ctx.t("away.transferChooseMember"),
      pagedKeyboard(ctx.t, buttons, members.value.page, members.value.pages, (p) => encode("tO", branchId, p)),
    );
  });
  onAction(feature, "to", async (ctx, [memberId]) => {
    const member = await viewMember(ctx.app, requestOf(ctx), memberId);
    // A transfer ends with the member off the roster: asked only of those who may do that (the ranking).
    if (!member.ok || !member.value.actions.includes("offRoster"))
      return refuse(ctx, member.ok ? { code: "AUTH.FORBIDDEN" } : member);
    const state = await ctx.flow.start<OutData>(OUT, "kind", { memberId, name: member.value.fullName });
    await respond(ctx, ctx.t("away.transferKindAsk"), [
      [
        { text: ctx.t("away.transferKinds.OFFICIAL"), callback_data: encode("tK", state.id, "OFFICIAL") },
        { text: ctx.t("away.transferKinds.TEMPORARY"), callback_data: encode("tK", state.id, "TEMPORARY") },
      ],
    ]);
  });
  onFlowAction<"tK", OutData>(feature, "tK", OUT, async (ctx, state, [, kind]) => {
    await ctx.flow.update({ ...state, step: "organisation", data: { ...state.data, kind } });
    await ctx.reply(ctx.t("away.transferOrgAsk"));
  });
  const askDate = async (ctx: BotContext, state: FlowState<OutData>, letterNumber: string | null) => {
    await ctx.flow.update({ ...state, step: "date", data: { ...state.data, letterNumber } });
    await ctx.reply(ctx.t("away.transferLetterDateAsk"));
  };
  onFlowText<OutData>(feature, OUT, async (ctx, state, text) => {
    if (state.step === "organisation") {
      const organisation = parseShortText(text, 200);
      if (!organisation.ok) return refuse(ctx, organisation);
      await ctx.flow.update({ ...state, step: "number", data: { ...state.data, organisation: organisation.value } });
      return ctx.reply(ctx.t("away.transferLetterNumberAsk"), {
        reply_markup: { inline_keyboard: [[{ text: ctx.t("common.skip"), callback_data: encode("fs", state.id) }]] },
      });
    }
    if (state.step === "number") return askDate(ctx, state, text.trim().slice(0, 40));
    if (state.step !== "date") return;
    const date = parseTypedDate(text);
    if (!date.ok) return refuse(ctx, { code: date.problem });
    const summary = ctx.t("away.transferSaved", {
      name: state.data.name,
      kind: ctx.t(`away.transferKinds.${state.data.kind!}`),
      organisation: state.data.organisation!,
      deadline: formatDate(await letterDeadline(ctx.app, date.date, state.data.memberId)),
    });
    const result = await introduceTransfer(ctx.app, savingRequest(ctx, state, summary), {
      memberId: state.data.memberId,
      kind: state.data.kind!,
      organisation: state.data.organisation!,
      letterNumber: state.data.letterNumber ?? null,
      letterDate: date.date,
    });
    await ctx.flow.clear();
    if (!result.ok) return refuse(ctx, result);
    await ctx.reply(
      ctx.t("away.transferSaved", {
        name: result.value.memberName,
        kind: ctx.t(`away.transferKinds.${result.value.kind}`),
        organisation: result.value.organisation,
        deadline: formatDate(result.value.deadline!),
      }),
    );
  });
  onFlowAction<"fs", OutData>(feature, "fs", OUT, (ctx, state) =>
    state.step === "number" ? askDate(ctx, state, null) : ctx.answerCbQuery(ctx.t("common.staleButton")),
  );
  onAction(feature, "tc", async (ctx, [transferId, outcome]) => {
    const result = await closeTransfer(ctx.app, requestOf(ctx), transferId, outcome);
    if (!result.ok) return refuse(ctx, result);
    await ctx.reply(
      ctx.t("away.transferClosed", {
        name: result.value.memberName,
        state: ctx.t(`away.transferStates.${result.value.state}`),
      }),
    );
  });

  onAction(feature, "tI", async (ctx, [branchId]) => {
    const card = await viewBranch(ctx.app, requestOf(ctx), branchId);
    if (!card.ok || !card.value.canManage) return refuse(ctx, card.ok ? { code: "AUTH.FORBIDDEN" } : card);
    await ctx.flow.start<InData>(IN, "name", { branchId });
    await ctx.reply(ctx.t("away.transferInNameAsk"));
  });
  onFlowText<InData>(feature, IN, async (ctx, state, text) => {
    if (state.step === "name") {
      const name = parseFullName(text);
      if (!name.ok) return refuse(ctx, name);
      await ctx.flow.update({ ...state, step: "origin", data: { ...state.data, name: name.value } });
      return ctx.reply(ctx.t("away.transferInOriginAsk"));
    }
    if (state.step === "origin") {
      const origin = parseShortText(text, 200);
      if (!origin.ok) return refuse(ctx, origin);
      await ctx.flow.update({ ...state, step: "date", data: { ...state.data, origin: origin.value } });
      return ctx.reply(ctx.t("away.transferInDateAsk"));
    }
    // Each date is checked as soon as it is typed (a real day, not in the future).
    const date = parseMemberDate(text, isoDateIn(ctx.now, ctx.app.timeZone));
    if (!date.ok) return refuse(ctx, date);
    if (state.step === "date") return askJoinDate(ctx, { ...state, data: { ...state.data, arrivedOn: date.value } });
    if (state.step === "join") return askOfficialDate(ctx, { ...state, data: { ...state.data, joinDate: date.value } });
    await saveIncoming(ctx, state, "OFFICIAL", date.value);
  });
  // The letter may not give the dates: "complete later" leaves them empty (the card says so).
  onFlowAction<"fs", InData>(feature, "fs", IN, (ctx, state) =>
    state.step === "join"
      ? askOfficialDate(ctx, { ...state, data: { ...state.data, joinDate: null } })
      : state.step === "official"
        ? saveIncoming(ctx, state, "OFFICIAL", null)
        : ctx.answerCbQuery(ctx.t("common.staleButton")),
  );
  onFlowAction<"fk", InData>(feature, "fk", IN, (ctx, state, [, kind]) =>
    state.step === "official" ? saveIncoming(ctx, state, kind, null) : ctx.answerCbQuery(ctx.t("common.staleButton")),
  );
  return feature;
}

async function askJoinDate(ctx: BotContext, state: FlowState<InData>): Promise<void> {
  await ctx.flow.update({ ...state, step: "join" });
  await ctx.reply(ctx.t("away.transferInJoinAsk"), {
    reply_markup: {
      inline_keyboard: [[{ text: ctx.t("away.transferInLater"), callback_data: encode("fs", state.id) }]],
    },
  });
}

async function askOfficialDate(ctx: BotContext, state: FlowState<InData>): Promise<void> {
  await ctx.flow.update({ ...state, step: "official" });
  const rows: Keyboard = [
    [{ text: ctx.t("away.transferInProbationary"), callback_data: encode("fk", state.id, "PROBATIONARY") }],
    [{ text: ctx.t("away.transferInLater"), callback_data: encode("fs", state.id) }],
  ];
  await ctx.reply(ctx.t("away.transferInOfficialAsk"), { reply_markup: { inline_keyboard: rows } });
}

/**
 * The member and the transfer, with the arrival and the letter's dates (or left to complete), in one
 * transaction that also closes the flow: the last answer given again saves nothing and says what was saved.
 */
async function saveIncoming(
  ctx: BotContext,
  state: FlowState<InData>,
  kind: "OFFICIAL" | "PROBATIONARY",
  officialDate: string | null,
): Promise<void> {
  const facts = {
    fullName: state.data.name!,
    kind,
    birthDate: null,
    joinDate: state.data.joinDate ?? null,
    officialDate,
    phone: null,
    residence: null,
    workplace: null,
  };
  const summary = ctx.t("away.transferInSaved", {
    name: facts.fullName,
    organisation: state.data.origin!,
    date: formatDate(state.data.arrivedOn!),
  });
  const result = await receiveTransfer(
    ctx.app,
    savingRequest(ctx, state, summary),
    state.data.branchId,
    facts,
    state.data.origin!,
    state.data.arrivedOn!,
  );
  await ctx.flow.clear();
  if (!result.ok) return refuse(ctx, result);
  await ctx.reply(
    ctx.t("away.transferInSaved", {
      name: result.value.memberName,
      organisation: result.value.organisation,
      date: formatDate(state.data.arrivedOn!),
    }),
  );
  await showMemberCard(ctx, result.value.memberId);
}

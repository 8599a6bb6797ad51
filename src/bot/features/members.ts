// /dangvien: the roster of a branch (paged), a member's card, taking a member off the roster (each way of
// leaving its own decision: a date, the paper's number, a confirmation naming the consequence, an undo the
// same day), deleting an entry typed by mistake, and unlinking a Telegram account (/huylienket for oneself).
import { Composer } from "telegraf";
import { listBranches } from "../../app/branches.js";
import { deactivateMember, deleteMistakenMember, listMembers, undoDeparture, viewMember } from "../../app/members.js";
import { unlinkTelegram } from "../../app/invitations.js";
import { isoDateIn, parseTypedDate, type IsoDate } from "../../domain/dates.js";
import { monthOfDate } from "../../domain/dues.js";
import {
  checkLeavingDate,
  INACTIVE_STATES,
  isLeavingState,
  isOnRoster,
  leavingPaper,
  parseDecisionNumber,
  type LeavingState,
} from "../../domain/members.js";
import { formatDate } from "../../i18n/format.js";
import type { FlowState } from "../flow.js";
import { onFlowAction, onFlowText } from "../flow-handlers.js";
import { monthLabel } from "../views/months.js";
import { audienceOf } from "../../domain/roles.js";
import type { BotContext } from "../context.js";
import { requestOf, savingRequest } from "../context.js";
import { onAction } from "../actions.js";
import { encode } from "../keyboards/callback-data.js";
import { refuse, respond, type Keyboard } from "../reply.js";
import { showMemberCard } from "../views/member-card.js";
import { pagedKeyboard } from "../views/paging.js";

export async function showMembersEntry(ctx: BotContext): Promise<void> {
  const audience = audienceOf(ctx.actor);
  if (audience === "member" && ctx.actor.member) return showMemberCard(ctx, ctx.actor.member.id);
  const branches = await listBranches(ctx.app, requestOf(ctx), 0);
  if (!branches.ok) return refuse(ctx, branches);
  const managed = branches.value.items;
  if (audience === "secretary" && branches.value.total === 1 && managed[0])
    return showMemberList(ctx, managed[0].id, 0);
  await respond(
    ctx,
    ctx.t("members.chooseBranch"),
    pagedKeyboard(
      ctx.t,
      managed.map((b) => ({
        text: ctx.t("branches.itemLabel", { name: b.name, count: b.activeMembers }),
        callback_data: encode("ml", b.id, 0),
      })),
      branches.value.page,
      branches.value.pages,
      (p) => encode("bl", p),
    ),
  );
}

export async function showMemberList(ctx: BotContext, branchId: number, page: number): Promise<void> {
  const result = await listMembers(ctx.app, requestOf(ctx), branchId, page);
  if (!result.ok) return refuse(ctx, result);
  const { items, pages, total, branchName } = result.value;
  const buttons = items.map((m) => ({
    text: `${m.linked ? `${ctx.t("members.linkedMark")} ` : ""}${m.fullName}${m.kind === "PROBATIONARY" ? ` (${ctx.t("kinds.PROBATIONARY")})` : ""}`,
    callback_data: encode("mv", m.id),
  }));
  const extra: Keyboard = [
    [
      { text: ctx.t("branches.addMember"), callback_data: encode("ma", branchId) },
      { text: ctx.t("branches.importButton"), callback_data: encode("mm", branchId) },
    ],
    [{ text: ctx.t("common.back"), callback_data: encode("bv", branchId) }],
  ];
  const title = total === 0 ? ctx.t("members.empty") : ctx.t("members.listTitle", { branch: branchName, total });
  await respond(
    ctx,
    title,
    pagedKeyboard(ctx.t, buttons, result.value.page, pages, (p) => encode("ml", branchId, p), extra),
  );
}

const LEAVE_FLOW = "member.leave";
/** Confirming the deletion of a mistaken entry, and the undo of a departure: each saves once. */
const DELETE_FLOW = "member.delete";
const UNDO_FLOW = "member.undo";
type EntryData = { memberId: number; name: string; leftAs?: LeavingState };
type LeaveData = {
  memberId: number;
  name: string;
  branchName: string;
  joinDate: IsoDate | null;
  state: LeavingState;
  date?: IsoDate;
  paper?: string | null;
};
type LeaveState = FlowState<LeaveData>;

const compactDate = (date: IsoDate) => date.replaceAll("-", "");
const dateFromCompact = (compact: string): IsoDate =>
  `${compact.slice(0, 4)}-${compact.slice(4, 6)}-${compact.slice(6)}`;

function paperText(ctx: BotContext, state: LeavingState, paper: string | null | undefined): string {
  const kind = leavingPaper(state);
  if (!kind) return "";
  if (!paper) return ctx.t("members.leaving.paperNone");
  return ctx.t(kind === "DECISION" ? "members.leaving.paperDecision" : "members.leaving.paperLetter", { paper });
}

/** The confirm screen: what is recorded, what follows from it; nothing is written before the press. */
async function askLeaveConfirm(ctx: BotContext, state: LeaveState, paper: string | null): Promise<void> {
  const next: LeaveState = { ...state, step: "confirm", data: { ...state.data, paper } };
  await ctx.flow.update(next);
  const { name, date, branchName } = next.data;
  const text = [
    ctx.t(`members.leaving.confirm.${next.data.state}`, {
      name,
      date: formatDate(date!),
      paper: paperText(ctx, next.data.state, paper),
    }),
    ctx.t("members.leaving.consequence", { name, branch: branchName, month: monthLabel(ctx, monthOfDate(date!)) }),
  ].join("\n\n");
  await respond(ctx, text, [
    [
      { text: ctx.t("common.confirm"), callback_data: encode("fy", state.id) },
      { text: ctx.t("common.cancel"), callback_data: encode("fn", state.id) },
    ],
  ]);
}

async function takeLeaveDate(ctx: BotContext, state: LeaveState, typed: IsoDate): Promise<void> {
  // Checked as soon as it is typed, saying the limit, so no answer after it is asked in vain.
  const date = checkLeavingDate(typed, isoDateIn(ctx.now, ctx.app.timeZone), state.data.joinDate);
  if (!date.ok) return refuse(ctx, date);
  const next: LeaveState = { ...state, data: { ...state.data, date: date.value } };
  const kind = leavingPaper(state.data.state);
  if (!kind) return askLeaveConfirm(ctx, next, null);
  await ctx.flow.update({ ...next, step: "paper" });
  await respond(ctx, ctx.t(kind === "DECISION" ? "members.leaving.askDecision" : "members.leaving.askLetter"), [
    [
      { text: ctx.t("common.skip"), callback_data: encode("fs", state.id) },
      { text: ctx.t("common.cancel"), callback_data: encode("fn", state.id) },
    ],
  ]);
}

export function membersFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command("dangvien", (ctx) => showMembersEntry(ctx));
  onAction(feature, "ml", (ctx, [branchId, page]) => showMemberList(ctx, branchId, page));
  onAction(feature, "mv", (ctx, [memberId]) => showMemberCard(ctx, memberId));

  onAction(feature, "mx", async (ctx, [memberId]) => {
    const result = await viewMember(ctx.app, requestOf(ctx), memberId);
    if (!result.ok || !result.value.actions.includes("offRoster"))
      return refuse(ctx, result.ok ? { code: "AUTH.FORBIDDEN" } : result);
    const rows: Keyboard = INACTIVE_STATES.map((state) => [
      { text: ctx.t(`members.leaving.choices.${state}`), callback_data: encode("ms", memberId, state) },
    ]);
    rows.push([{ text: ctx.t("common.back"), callback_data: encode("mv", memberId) }]);
    await respond(ctx, ctx.t("members.deactivateAsk", { name: result.value.fullName }), rows);
  });
  // A way of leaving chosen: the flow asks the date and the paper, then confirms; "ms" itself writes nothing.
  // Asked only of those the ranking lets take this person off the roster (the use case checks it again).
  onAction(feature, "ms", async (ctx, [memberId, state]) => {
    const result = await viewMember(ctx.app, requestOf(ctx), memberId);
    if (!result.ok || !result.value.canManage) return refuse(ctx, result.ok ? { code: "AUTH.FORBIDDEN" } : result);
    if (!isOnRoster(result.value.state)) return refuse(ctx, { code: "MEMBER.NOT_ON_ROSTER" });
    if (!result.value.actions.includes("offRoster")) return refuse(ctx, { code: "AUTH.FORBIDDEN" });
    if (!isLeavingState(state)) return refuse(ctx, { code: "MEMBER.STATE_INVALID" });
    const leaving = state;
    const flow = await ctx.flow.start<LeaveData>(LEAVE_FLOW, "date", {
      memberId,
      name: result.value.fullName,
      branchName: result.value.branchName,
      joinDate: result.value.joinDate,
      state: leaving,
    });
    const today = isoDateIn(ctx.now, ctx.app.timeZone);
    await respond(ctx, ctx.t(`members.leaving.askDate.${leaving}`, { name: result.value.fullName }), [
      [
        {
          text: ctx.t("members.leaving.today", { date: formatDate(today) }),
          callback_data: encode("dD", flow.id, compactDate(today)),
        },
      ],
      [{ text: ctx.t("common.cancel"), callback_data: encode("fn", flow.id) }],
    ]);
  });
  onFlowAction<"dD", LeaveData>(feature, "dD", LEAVE_FLOW, (ctx, state, [, compact]) =>
    state.step === "date"
      ? takeLeaveDate(ctx, state, dateFromCompact(compact))
      : ctx.answerCbQuery(ctx.t("common.staleButton")),
  );
  onFlowText<LeaveData>(feature, LEAVE_FLOW, async (ctx, state, text) => {
    if (state.step === "date") {
      const date = parseTypedDate(text);
      if (!date.ok) return refuse(ctx, { code: date.problem });
      return takeLeaveDate(ctx, state, date.date);
    }
    if (state.step === "paper") {
      const paper = parseDecisionNumber(text);
      if (!paper.ok) return refuse(ctx, paper);
      return askLeaveConfirm(ctx, state, paper.value);
    }
    await ctx.reply(ctx.t("common.unknownText"));
  });
  onFlowAction<"fs", LeaveData>(feature, "fs", LEAVE_FLOW, (ctx, state) =>
    state.step === "paper" ? askLeaveConfirm(ctx, state, null) : ctx.answerCbQuery(ctx.t("common.staleButton")),
  );
  onFlowAction<"fy", LeaveData>(feature, "fy", LEAVE_FLOW, async (ctx, state) => {
    if (state.step !== "confirm" || !state.data.date) return ctx.answerCbQuery(ctx.t("common.staleButton"));
    const { memberId, date, paper } = state.data;
    const saved = ctx.t("members.leaving.saved", {
      state: ctx.t(`states.${state.data.state}`),
      name: state.data.name,
      date: formatDate(date),
      paper: paperText(ctx, state.data.state, paper),
    });
    const result = await deactivateMember(ctx.app, savingRequest(ctx, state, saved), memberId, state.data.state, {
      date,
      paper: paper ?? null,
    });
    if (!result.ok) {
      // A date the rules refuse (before joining, in the future) is typed again; anything else ends the flow.
      if (["DATE.FUTURE", "DATE.TOO_OLD", "MEMBER.LEFT_BEFORE_JOIN"].includes(result.code))
        await ctx.flow.update({ ...state, step: "date" });
      else await ctx.flow.clear();
      return refuse(ctx, result);
    }
    await ctx.flow.clear();
    await respond(
      ctx,
      ctx.t("members.leaving.saved", {
        state: ctx.t(`states.${state.data.state}`),
        name: result.value.fullName,
        date: formatDate(date),
        paper: paperText(ctx, state.data.state, paper),
      }),
      [
        [{ text: ctx.t("members.leaving.undo"), callback_data: encode("mR", memberId) }],
        [{ text: ctx.t("members.backToList"), callback_data: encode("ml", result.value.branchId, 0) }],
      ],
    );
  });
  // Undo: the officer who recorded the departure, the same day, confirms; the press of the confirmation saves once.
  onAction(feature, "mR", async (ctx, [memberId]) => {
    const result = await viewMember(ctx.app, requestOf(ctx), memberId);
    if (!result.ok) return refuse(ctx, result);
    const card = result.value;
    // Undo is offered only on a card of someone who left the roster.
    if (!card.actions.includes("undo") || !isLeavingState(card.state))
      return refuse(ctx, { code: card.canManage && !card.undoable ? "MEMBER.UNDO_NOT_ALLOWED" : "AUTH.FORBIDDEN" });
    const leftAs = card.state;
    const flow = await ctx.flow.start<EntryData>(UNDO_FLOW, "confirm", { memberId, name: card.fullName, leftAs });
    await respond(ctx, ctx.t("members.leaving.undoAsk", { name: card.fullName, state: ctx.t(`states.${leftAs}`) }), [
      [
        { text: ctx.t("common.confirm"), callback_data: encode("fy", flow.id) },
        { text: ctx.t("common.cancel"), callback_data: encode("fn", flow.id) },
      ],
    ]);
  });
  onFlowAction<"fy", EntryData>(feature, "fy", UNDO_FLOW, async (ctx, state) => {
    const saved = ctx.t("members.leaving.undoneSummary", {
      name: state.data.name,
      state: ctx.t(`states.${state.data.leftAs ?? "REMOVED"}`),
    });
    const result = await undoDeparture(ctx.app, savingRequest(ctx, state, saved), state.data.memberId);
    await ctx.flow.clear();
    if (!result.ok) return refuse(ctx, result);
    await respond(
      ctx,
      ctx.t("members.leaving.undone", {
        name: result.value.fullName,
        state: ctx.t(`states.${result.value.state}`),
        relinked: result.value.linkedTelegramId ? ctx.t("members.leaving.relinked") : "",
      }),
      [[{ text: ctx.t("members.backToList"), callback_data: encode("ml", result.value.branchId, 0) }]],
    );
  });

  // Delete a mistaken entry: only one with no history, by someone the ranking allows; confirmed, saved once.
  onAction(feature, "mz", async (ctx, [memberId]) => {
    const result = await viewMember(ctx.app, requestOf(ctx), memberId);
    if (!result.ok) return refuse(ctx, result);
    const card = result.value;
    if (!card.actions.includes("delete")) {
      const hasHistory = card.actions.includes("offRoster") && !card.deletable;
      return refuse(
        ctx,
        hasHistory ? { code: "MEMBER.HAS_HISTORY", params: { name: card.fullName } } : { code: "AUTH.FORBIDDEN" },
      );
    }
    const flow = await ctx.flow.start<EntryData>(DELETE_FLOW, "confirm", { memberId, name: card.fullName });
    await respond(ctx, ctx.t("members.deleteAsk", { name: card.fullName }), [
      [
        { text: ctx.t("common.confirm"), callback_data: encode("fy", flow.id) },
        { text: ctx.t("common.cancel"), callback_data: encode("fn", flow.id) },
      ],
    ]);
  });
  onFlowAction<"fy", EntryData>(feature, "fy", DELETE_FLOW, async (ctx, state) => {
    const result = await deleteMistakenMember(
      ctx.app,
      savingRequest(ctx, state, ctx.t("members.deleted", { name: state.data.name })),
      state.data.memberId,
    );
    await ctx.flow.clear();
    if (!result.ok) return refuse(ctx, result);
    await respond(ctx, ctx.t("members.deleted", { name: result.value.fullName }), [
      [{ text: ctx.t("members.backToList"), callback_data: encode("ml", result.value.branchId, 0) }],
    ]);
  });

  onAction(feature, "mu", async (ctx, [memberId]) => {
    const result = await viewMember(ctx.app, requestOf(ctx), memberId);
    if (!result.ok || !result.value.actions.includes("unlink"))
      return refuse(ctx, result.ok ? { code: "AUTH.FORBIDDEN" } : result);
    await respond(ctx, ctx.t("members.unlinkAsk", { name: result.value.fullName }), [
      [
        { text: ctx.t("common.confirm"), callback_data: encode("mU", memberId) },
        { text: ctx.t("common.cancel"), callback_data: encode("mv", memberId) },
      ],
    ]);
  });
  onAction(feature, "mU", async (ctx, [memberId]) => {
    const result = await unlinkTelegram(ctx.app, requestOf(ctx), memberId);
    if (!result.ok) return refuse(ctx, result);
    await respond(ctx, ctx.t("members.unlinked", { name: result.value.memberName }));
  });

  feature.command("huylienket", async (ctx) => {
    const member = ctx.actor.member;
    if (!member) return ctx.reply(ctx.t("members.notLinkedSelf"));
    await ctx.reply(ctx.t("members.selfUnlinkAsk", { name: member.fullName }), {
      reply_markup: { inline_keyboard: [[{ text: ctx.t("common.confirm"), callback_data: encode("uy") }]] },
    });
  });
  onAction(feature, "uy", async (ctx) => {
    if (!ctx.actor.member) return refuse(ctx, { code: "LINK.NONE" });
    const result = await unlinkTelegram(ctx.app, requestOf(ctx), ctx.actor.member.id);
    if (!result.ok) return refuse(ctx, result);
    await respond(ctx, ctx.t("members.selfUnlinked"));
  });
  return feature;
}

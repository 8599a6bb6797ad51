// The meeting's start and its one-message attendance sheet: branch, kind, date, then a tap per member
// (present, excused, absent), all present, reset and paging.
import { Composer } from "telegraf";
import { listBranches, viewBranch } from "../../../app/branches.js";
import { openAttendanceSheet, openMeetingForCorrection } from "../../../app/attendance-sheet.js";
import { nextStatus, recentDays, type MeetingKind } from "../../../domain/attendance.js";
import { isoDateIn } from "../../../domain/dates.js";
import { managedBranchIds } from "../../../domain/roles.js";
import { formatDate, formatMonth } from "../../../i18n/format.js";
import type { BotContext } from "../../context.js";
import { requestOf } from "../../context.js";
import { onAction } from "../../actions.js";
import { onFlowAction } from "../../flow-handlers.js";
import { encode } from "../../keyboards/callback-data.js";
import { refuse, respond } from "../../reply.js";
import { isExpectedRow } from "../../views/attendance-sheet.js";
import { pagedKeyboard } from "../../views/paging.js";
import { cancelRow, MEETING_FLOW, showSheet, stillManages, type MeetingFlowData, type State } from "./state.js";

export async function startMeetingEntry(ctx: BotContext): Promise<void> {
  const scope = managedBranchIds(ctx.actor);
  if (scope !== "all" && scope.length === 1 && scope[0] !== undefined) return chooseKind(ctx, scope[0]);
  if (scope !== "all" && scope.length === 0) return refuse(ctx, { code: "AUTH.FORBIDDEN" });
  const branches = await listBranches(ctx.app, requestOf(ctx), 0);
  if (!branches.ok) return refuse(ctx, branches);
  const buttons = branches.value.items.map((b) => ({ text: b.name, callback_data: encode("dB", b.id) }));
  await respond(
    ctx,
    ctx.t("meetings.chooseBranch"),
    pagedKeyboard(ctx.t, buttons, branches.value.page, branches.value.pages, (p) => encode("bl", p)),
  );
}

async function chooseKind(ctx: BotContext, branchId: number): Promise<void> {
  const card = await viewBranch(ctx.app, requestOf(ctx), branchId);
  if (!card.ok || !card.value.canManage) return refuse(ctx, card.ok ? { code: "AUTH.FORBIDDEN" } : card);
  const branch = card.value.branch;
  const state: State = await ctx.flow.start<MeetingFlowData>(MEETING_FLOW, "kind", {
    branchId,
    branchName: branch.name,
  });
  const kinds: MeetingKind[] = ["REGULAR", "THEMATIC", "EXTRAORDINARY"];
  await respond(ctx, ctx.t("meetings.chooseKind", { branch: branch.name }), [
    kinds.map((kind) => ({ text: ctx.t(`meetings.kindButtons.${kind}`), callback_data: encode("dK", state.id, kind) })),
    [{ text: ctx.t("meetings.correctPast"), callback_data: encode("dL", branchId) }],
    cancelRow(ctx, state),
  ]);
}

async function askDate(ctx: BotContext, state: State): Promise<void> {
  await ctx.flow.update({ ...state, step: "date" });
  const days = recentDays(isoDateIn(ctx.now, ctx.app.timeZone), 7);
  const label = (day: string, index: number) =>
    index === 0
      ? ctx.t("meetings.today", { date: formatDate(day).slice(0, 5) })
      : index === 1
        ? ctx.t("meetings.yesterday", { date: formatDate(day).slice(0, 5) })
        : formatDate(day).slice(0, 5);
  const buttons = days.map((day, index) => ({
    text: label(day, index),
    callback_data: encode("dD", state.id, day.replaceAll("-", "")),
  }));
  await respond(ctx, ctx.t("meetings.chooseDate"), [buttons.slice(0, 2), buttons.slice(2, 7), cancelRow(ctx, state)]);
}

export async function openSheet(ctx: BotContext, state: State, date: string): Promise<void> {
  if (!state.data.kind) return;
  const opened = await openAttendanceSheet(ctx.app, requestOf(ctx), state.data.branchId, state.data.kind, date);
  if (!opened.ok) {
    if (opened.code === "MEETING.REGULAR_EXISTS" && "meetingId" in opened) {
      await ctx.flow.clear();
      const [year, month] = opened.params.date.split("-").map(Number);
      return respond(
        ctx,
        ctx.t("meetings.regularExists", {
          branch: state.data.branchName,
          month: formatMonth(year!, month!, ctx.locale),
          date: formatDate(opened.params.date),
        }),
        [[{ text: ctx.t("meetings.editExisting"), callback_data: encode("dC", opened.meetingId) }]],
      );
    }
    return refuse(ctx, opened);
  }
  await showSheet(ctx, { ...state, step: "sheet", data: { ...state.data, draft: opened.value, page: 0 } }, true);
}

/** /diemdanh, the branch, kind and date buttons, and the sheet's own buttons. */
export function meetingSheetHandlers(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command("diemdanh", (ctx) => startMeetingEntry(ctx));
  onAction(feature, "dB", (ctx, [branchId]) => chooseKind(ctx, branchId));

  onAction(feature, "dB", (ctx, [branchId]) => chooseKind(ctx, branchId));

  onFlowAction<"dK", MeetingFlowData>(feature, "dK", MEETING_FLOW, async (ctx, state, [, kind]) => {
    if (!(await stillManages(ctx, state))) return;
    if (state.step !== "kind") return ctx.answerCbQuery(ctx.t("common.staleButton"));
    await askDate(ctx, { ...state, data: { ...state.data, kind } });
  });
  onFlowAction<"dD", MeetingFlowData>(feature, "dD", MEETING_FLOW, async (ctx, state, [, compact]) => {
    if (!(await stillManages(ctx, state))) return;
    if (state.step !== "date") return ctx.answerCbQuery(ctx.t("common.staleButton"));
    await openSheet(ctx, state, `${compact.slice(0, 4)}-${compact.slice(4, 6)}-${compact.slice(6)}`);
  });

  // The sheet.
  onFlowAction<"st", MeetingFlowData>(feature, "st", MEETING_FLOW, async (ctx, state, [, memberId]) => {
    if (!(await stillManages(ctx, state))) return;
    const draft = state.data.draft;
    const row = draft?.rows.find((r) => r.memberId === memberId);
    if (state.step !== "sheet" || !draft || !row || !isExpectedRow(row))
      return ctx.answerCbQuery(ctx.t("common.staleButton"));
    const status = nextStatus(row.status);
    const rows = draft.rows.map((r) =>
      r.memberId === memberId ? { ...r, status, reason: status === "EXCUSED" ? r.reason : null } : r,
    );
    await showSheet(ctx, { ...state, data: { ...state.data, draft: { ...draft, rows } } });
  });
  onFlowAction<"sx", MeetingFlowData>(feature, "sx", MEETING_FLOW, async (ctx, state, [, memberId]) => {
    const row = state.data.draft?.rows.find((r) => r.memberId === memberId);
    if (!row || isExpectedRow(row)) return ctx.answerCbQuery(ctx.t("common.staleButton"));
    await ctx.answerCbQuery(
      ctx.t("meetings.notExpectedToast", {
        name: row.name,
        cause: ctx.t(`meetings.notExpectedCause.${row.status}`),
      }),
    );
  });
  onFlowAction<"sa", MeetingFlowData>(feature, "sa", MEETING_FLOW, async (ctx, state) => {
    if (!(await stillManages(ctx, state))) return;
    const draft = state.data.draft;
    if (state.step !== "sheet" || !draft) return ctx.answerCbQuery(ctx.t("common.staleButton"));
    const rows = draft.rows.map((r) => (isExpectedRow(r) ? { ...r, status: "PRESENT" as const, reason: null } : r));
    await showSheet(ctx, { ...state, data: { ...state.data, draft: { ...draft, rows } } });
  });
  onFlowAction<"sr", MeetingFlowData>(feature, "sr", MEETING_FLOW, async (ctx, state) => {
    if (!(await stillManages(ctx, state))) return;
    if (state.step !== "sheet" || !state.data.draft) return ctx.answerCbQuery(ctx.t("common.staleButton"));
    // Reset: back to the sheet as first opened (a new meeting) or as saved (a correction).
    const fresh = state.data.draft.meetingId
      ? await openMeetingForCorrection(ctx.app, requestOf(ctx), state.data.draft.meetingId)
      : await openAttendanceSheet(
          ctx.app,
          requestOf(ctx),
          state.data.branchId,
          state.data.draft.kind,
          state.data.draft.date,
        );
    if (!fresh.ok) return refuse(ctx, fresh);
    await showSheet(ctx, {
      ...state,
      data: {
        ...state.data,
        draft: {
          ...fresh.value,
          topic: state.data.draft.topic,
          resolution: state.data.draft.resolution,
          tasks: state.data.draft.tasks,
        },
      },
    });
  });
  onFlowAction<"sp", MeetingFlowData>(feature, "sp", MEETING_FLOW, async (ctx, state, [, page]) => {
    if (state.step !== "sheet" || !state.data.draft) return ctx.answerCbQuery(ctx.t("common.staleButton"));
    await showSheet(ctx, { ...state, data: { ...state.data, page } });
  });
  return feature;
}

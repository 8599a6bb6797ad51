// /diemdanh: record a branch meeting — kind, date, the one-message attendance sheet, reasons for
// excused absences, topic, resolution, tasks, a confirm screen and one transactional save — and
// correct a saved meeting with the same sheet.
import { Composer } from "telegraf";
import { listBranches, viewBranch } from "../../app/branches.js";
import { openAttendanceSheet, openMeetingForCorrection, type MeetingDraft } from "../../app/attendance-sheet.js";
import { recentMeetings } from "../../app/attendance-queries.js";
import { correctMeeting, draftCounts, recordMeeting, type AbsenceNotice } from "../../app/record-meeting.js";
import type { Worded } from "../../app/notices.js";
import {
  MAX_REASON_LENGTH,
  MAX_RESOLUTION_LENGTH,
  MAX_TASK_LENGTH,
  MAX_TOPIC_LENGTH,
  nextStatus,
  parseShortText,
  parseTaskDue,
  recentDays,
  type MeetingKind,
} from "../../domain/attendance.js";
import { isoDateIn, parseTypedDate } from "../../domain/dates.js";
import { canManageBranch, managedBranchIds } from "../../domain/roles.js";
import { formatDate, formatMonth } from "../../i18n/format.js";
import { translator } from "../../i18n/index.js";
import type { BotContext } from "../context.js";
import { requestOf, savingRequest } from "../context.js";
import { onAction } from "../actions.js";
import type { FlowState } from "../flow.js";
import { onFlowAction, onFlowText } from "../flow-handlers.js";
import { encode } from "../keyboards/callback-data.js";
import { refuse, respond, type Keyboard } from "../reply.js";
import { isExpectedRow, rateText, renderSheet, SHEET_PAGE_SIZE } from "../views/attendance-sheet.js";
import { pagedKeyboard } from "../views/paging.js";
import { minutesButton } from "./meeting-minutes.js";

export const MEETING_FLOW = "meeting";

interface MeetingFlowData {
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
type State = FlowState<MeetingFlowData>;

const cancelRow = (ctx: BotContext, state: State) => [{ text: ctx.t("common.cancel"), callback_data: encode("fn", state.id) }];

/** A flow step is allowed only while the actor still manages the branch: roles can end mid-flow. */
async function stillManages(ctx: BotContext, state: State): Promise<boolean> {
  if (canManageBranch(ctx.actor, state.data.branchId)) return true;
  await ctx.flow.clear();
  await refuse(ctx, { code: "AUTH.FORBIDDEN" });
  return false;
}

export async function startMeetingEntry(ctx: BotContext): Promise<void> {
  const scope = managedBranchIds(ctx.actor);
  if (scope !== "all" && scope.length === 1 && scope[0] !== undefined) return chooseKind(ctx, scope[0]);
  if (scope !== "all" && scope.length === 0) return refuse(ctx, { code: "AUTH.FORBIDDEN" });
  const branches = await listBranches(ctx.app, requestOf(ctx), 0);
  if (!branches.ok) return refuse(ctx, branches);
  const buttons = branches.value.items.map((b) => ({ text: b.name, callback_data: encode("dB", b.id) }));
  await respond(ctx, ctx.t("meetings.chooseBranch"), pagedKeyboard(ctx.t, buttons, branches.value.page, branches.value.pages, (p) => encode("bl", p)));
}

async function chooseKind(ctx: BotContext, branchId: number): Promise<void> {
  const card = await viewBranch(ctx.app, requestOf(ctx), branchId);
  if (!card.ok || !card.value.canManage) return refuse(ctx, card.ok ? { code: "AUTH.FORBIDDEN" } : card);
  const branch = card.value.branch;
  const state: State = await ctx.flow.start<MeetingFlowData>(MEETING_FLOW, "kind", { branchId, branchName: branch.name });
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
    index === 0 ? ctx.t("meetings.today", { date: formatDate(day).slice(0, 5) }) : index === 1 ? ctx.t("meetings.yesterday", { date: formatDate(day).slice(0, 5) }) : formatDate(day).slice(0, 5);
  const buttons = days.map((day, index) => ({ text: label(day, index), callback_data: encode("dD", state.id, day.replaceAll("-", "")) }));
  await respond(ctx, ctx.t("meetings.chooseDate"), [buttons.slice(0, 2), buttons.slice(2, 7), cancelRow(ctx, state)]);
}

async function openSheet(ctx: BotContext, state: State, date: string): Promise<void> {
  if (!state.data.kind) return;
  const opened = await openAttendanceSheet(ctx.app, requestOf(ctx), state.data.branchId, state.data.kind, date);
  if (!opened.ok) {
    if (opened.code === "MEETING.REGULAR_EXISTS" && "meetingId" in opened) {
      await ctx.flow.clear();
      const [year, month] = opened.params.date.split("-").map(Number);
      return respond(ctx, ctx.t("meetings.regularExists", { branch: state.data.branchName, month: formatMonth(year!, month!, ctx.locale), date: formatDate(opened.params.date) }), [
        [{ text: ctx.t("meetings.editExisting"), callback_data: encode("dC", opened.meetingId) }],
      ]);
    }
    return refuse(ctx, opened);
  }
  await showSheet(ctx, { ...state, step: "sheet", data: { ...state.data, draft: opened.value, page: 0 } }, true);
}

async function showSheet(ctx: BotContext, state: State, asNewMessage = false): Promise<void> {
  await ctx.flow.update(state);
  const { text, keyboard } = renderSheet(ctx.t, state.id, state.data.draft!, state.data.page ?? 0);
  if (asNewMessage && !ctx.callbackQuery) {
    await ctx.reply(text, { reply_markup: { inline_keyboard: keyboard } });
    return;
  }
  await respond(ctx, text, keyboard);
}

/** After the sheet: a reason for each excused absence still without one, then topic, resolution, tasks. */
async function askNextReason(ctx: BotContext, state: State): Promise<void> {
  const draft = state.data.draft!;
  const excused = draft.rows.filter((r) => r.status === "EXCUSED");
  const missing = excused.find((r) => !r.reason);
  if (!missing) return askTopic(ctx, { ...state, data: { ...state.data, reasonFor: undefined } });
  const next = { ...state, step: "reason", data: { ...state.data, reasonFor: missing.memberId } };
  await ctx.flow.update(next);
  const index = excused.indexOf(missing) + 1;
  const presets = (["SICK", "WORK", "FAMILY", "AWAY"] as const).map((code) => ({ text: ctx.t(`meetings.reasons.${code}`), callback_data: encode("rr", state.id, code) }));
  await ctx.reply(ctx.t("meetings.askReason", { name: missing.name, index, total: excused.length }), {
    reply_markup: { inline_keyboard: [presets.slice(0, 2), presets.slice(2), cancelRow(ctx, state)] },
  });
}

async function setReason(ctx: BotContext, state: State, reason: string): Promise<void> {
  const draft = state.data.draft!;
  const rows = draft.rows.map((r) => (r.memberId === state.data.reasonFor ? { ...r, reason } : r));
  await askNextReason(ctx, { ...state, data: { ...state.data, draft: { ...draft, rows } } });
}

async function askTopic(ctx: BotContext, state: State): Promise<void> {
  await ctx.flow.update({ ...state, step: "topic" });
  await ctx.reply(ctx.t("meetings.askTopic"), { reply_markup: { inline_keyboard: [[{ text: ctx.t("common.skip"), callback_data: encode("fs", state.id) }], cancelRow(ctx, state)] } });
}

async function askResolution(ctx: BotContext, state: State): Promise<void> {
  await ctx.flow.update({ ...state, step: "resolution" });
  await ctx.reply(ctx.t("meetings.askResolution"), { reply_markup: { inline_keyboard: [[{ text: ctx.t("common.skip"), callback_data: encode("fs", state.id) }], cancelRow(ctx, state)] } });
}

async function showTasksMenu(ctx: BotContext, state: State): Promise<void> {
  await ctx.flow.update({ ...state, step: "tasks", data: { ...state.data, taskMember: undefined, taskText: undefined } });
  await ctx.reply(ctx.t("meetings.tasksMenu", { count: state.data.draft!.tasks.length }), {
    reply_markup: {
      inline_keyboard: [
        [{ text: ctx.t("meetings.addTask"), callback_data: encode("tn", state.id) }],
        [{ text: ctx.t("meetings.tasksDone"), callback_data: encode("tf", state.id) }],
        cancelRow(ctx, state),
      ],
    },
  });
}

async function showTaskMembers(ctx: BotContext, state: State, page: number): Promise<void> {
  const rows = state.data.draft!.rows.filter(isExpectedRow);
  const pages = Math.max(1, Math.ceil(rows.length / SHEET_PAGE_SIZE));
  const current = Math.min(Math.max(page, 0), pages - 1);
  await ctx.flow.update({ ...state, step: "taskMember", data: { ...state.data, taskPage: current } });
  const buttons = rows.slice(current * SHEET_PAGE_SIZE, (current + 1) * SHEET_PAGE_SIZE).map((r) => ({ text: r.name, callback_data: encode("tm", state.id, r.memberId) }));
  await respond(ctx, ctx.t("meetings.chooseTaskMember"), pagedKeyboard(ctx.t, buttons, current, pages, (p) => encode("tp", state.id, p), [cancelRow(ctx, state)]));
}

async function showConfirm(ctx: BotContext, state: State): Promise<void> {
  await ctx.flow.update({ ...state, step: "confirm" });
  const draft = state.data.draft!;
  const counts = draftCounts(draft);
  const lines = [
    ctx.t("meetings.confirm", { branch: draft.branchName, kind: ctx.t(`meetings.kinds.${draft.kind}`), date: formatDate(draft.date), rate: rateText(ctx.t, ctx.locale, draft), ...counts }),
  ];
  const absent = draft.rows.filter((r) => r.status === "EXCUSED" || r.status === "UNEXCUSED");
  if (absent.length > 0) lines.push(ctx.t("meetings.confirmAbsent", { names: absent.map((r) => `${r.status === "EXCUSED" ? "🟡" : "❌"} ${r.name}${r.reason ? ` (${r.reason})` : ""}`).join(", ") }));
  if (draft.topic) lines.push(ctx.t("meetings.confirmTopic", { topic: draft.topic }));
  if (draft.resolution) lines.push(ctx.t("meetings.confirmResolution", { resolution: draft.resolution }));
  if (draft.tasks.length > 0) lines.push(ctx.t("meetings.confirmTasks", { count: draft.tasks.length }));
  await ctx.reply(lines.join("\n").slice(0, 4000), {
    reply_markup: { inline_keyboard: [[{ text: ctx.t("meetings.save"), callback_data: encode("fy", state.id) }, { text: ctx.t("common.cancel"), callback_data: encode("fn", state.id) }]] },
  });
}

/** A linked member recorded as absent without reason, told in their own language, with a button to send a reason. */
export function wordAbsenceNotice(notice: AbsenceNotice): Worded {
  const t = translator(notice.recipient.locale === "en" ? "en" : "vi");
  return {
    text: t("meetings.absentNotice", { date: formatDate(notice.meetingDate), branch: notice.branchName }),
    buttons: [[{ text: t("meetings.sendReason"), callback_data: encode("ae", notice.attendanceId) }]],
  };
}

/** What a saved sheet says: the meeting, its date and branch, who was there. */
function savedText(ctx: BotContext, draft: MeetingDraft): string {
  const { present, expected } = draftCounts(draft);
  return ctx.t("meetings.saved", { kind: ctx.t(`meetings.kinds.${draft.kind}`), date: formatDate(draft.date), branch: draft.branchName, present, expected, rate: rateText(ctx.t, ctx.locale, draft) });
}

async function save(ctx: BotContext, state: State): Promise<void> {
  const draft = state.data.draft!;
  const request = savingRequest(ctx, state, savedText(ctx, draft));
  if (draft.meetingId === null) {
    const result = await recordMeeting(ctx.app, request, draft, wordAbsenceNotice);
    if (!result.ok) {
      if (result.code === "MEETING.REGULAR_EXISTS" && "meetingId" in result) {
        await ctx.flow.clear();
        return respond(ctx, ctx.t("errors.meetingRegularExists", { date: formatDate(result.params.date) }), [[{ text: ctx.t("meetings.editExisting"), callback_data: encode("dC", result.meetingId) }]]);
      }
      if (result.code === "MEETING.ROSTER_CHANGED") await ctx.flow.clear();
      return refuse(ctx, result);
    }
    await ctx.flow.clear();
    await respond(ctx, savedText(ctx, draft), [[minutesButton(ctx, result.value.meeting.id)]]);
    return;
  }
  const result = await correctMeeting(ctx.app, request, draft, wordAbsenceNotice);
  if (!result.ok) return refuse(ctx, result);
  await ctx.flow.clear();
  const { counts, changed } = result.value;
  await respond(ctx, ctx.t("meetings.corrected", { date: formatDate(draft.date), changed, present: counts.present, expected: counts.expected, rate: rateText(ctx.t, ctx.locale, draft) }), [[minutesButton(ctx, result.value.meeting.id)]]);
}

export function meetingsFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command("diemdanh", (ctx) => startMeetingEntry(ctx));
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

  // Typed answers, by step.
  onFlowText<MeetingFlowData>(feature, MEETING_FLOW, async (ctx, state, text) => {
    if (!(await stillManages(ctx, state))) return;
    switch (state.step) {
      case "date": {
        // The shape is checked here; the range (future, too old, before the branch) by the use case.
        const date = parseTypedDate(text);
        if (!date.ok) return refuse(ctx, { code: date.problem });
        return openSheet(ctx, state, date.date);
      }
      case "reason": {
        const reason = parseShortText(text, MAX_REASON_LENGTH);
        if (!reason.ok) return refuse(ctx, reason);
        return setReason(ctx, state, reason.value);
      }
      case "topic": {
        const topic = parseShortText(text, MAX_TOPIC_LENGTH);
        if (!topic.ok) return refuse(ctx, topic);
        return askResolution(ctx, { ...state, data: { ...state.data, draft: { ...state.data.draft!, topic: topic.value } } });
      }
      case "resolution": {
        const resolution = parseShortText(text, MAX_RESOLUTION_LENGTH);
        if (!resolution.ok) return refuse(ctx, resolution);
        return showTasksMenu(ctx, { ...state, data: { ...state.data, draft: { ...state.data.draft!, resolution: resolution.value } } });
      }
      case "taskText": {
        const description = parseShortText(text, MAX_TASK_LENGTH);
        if (!description.ok) return refuse(ctx, description);
        const next = { ...state, step: "taskDue", data: { ...state.data, taskText: description.value } };
        await ctx.flow.update(next);
        return ctx.reply(ctx.t("meetings.askTaskDue"));
      }
      case "taskDue": {
        const due = parseTaskDue(text, state.data.draft!.date);
        if (!due.ok) return refuse(ctx, due);
        const member = state.data.taskMember!;
        const draft = state.data.draft!;
        const tasks = [...draft.tasks, { memberId: member.id, name: member.name, description: state.data.taskText!, dueDate: due.value }];
        await ctx.reply(ctx.t("meetings.taskAdded", { name: member.name, due: formatDate(due.value) }));
        return showTasksMenu(ctx, { ...state, data: { ...state.data, draft: { ...draft, tasks } } });
      }
      default:
        return ctx.reply(ctx.t("meetings.sheetHint"));
    }
  });

  // The sheet.
  onFlowAction<"st", MeetingFlowData>(feature, "st", MEETING_FLOW, async (ctx, state, [, memberId]) => {
    if (!(await stillManages(ctx, state))) return;
    const draft = state.data.draft;
    const row = draft?.rows.find((r) => r.memberId === memberId);
    if (state.step !== "sheet" || !draft || !row || !isExpectedRow(row)) return ctx.answerCbQuery(ctx.t("common.staleButton"));
    const status = nextStatus(row.status as "PRESENT");
    const rows = draft.rows.map((r) => (r.memberId === memberId ? { ...r, status, reason: status === "EXCUSED" ? r.reason : null } : r));
    await showSheet(ctx, { ...state, data: { ...state.data, draft: { ...draft, rows } } });
  });
  onFlowAction<"sx", MeetingFlowData>(feature, "sx", MEETING_FLOW, async (ctx, state, [, memberId]) => {
    const row = state.data.draft?.rows.find((r) => r.memberId === memberId);
    if (!row || isExpectedRow(row)) return ctx.answerCbQuery(ctx.t("common.staleButton"));
    await ctx.answerCbQuery(ctx.t("meetings.notExpectedToast", { name: row.name, cause: ctx.t(`meetings.notExpectedCause.${row.status as "EXEMPT"}`) }));
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
      : await openAttendanceSheet(ctx.app, requestOf(ctx), state.data.branchId, state.data.draft.kind, state.data.draft.date);
    if (!fresh.ok) return refuse(ctx, fresh);
    await showSheet(ctx, { ...state, data: { ...state.data, draft: { ...fresh.value, topic: state.data.draft.topic, resolution: state.data.draft.resolution, tasks: state.data.draft.tasks } } });
  });
  onFlowAction<"sp", MeetingFlowData>(feature, "sp", MEETING_FLOW, async (ctx, state, [, page]) => {
    if (state.step !== "sheet" || !state.data.draft) return ctx.answerCbQuery(ctx.t("common.staleButton"));
    await showSheet(ctx, { ...state, data: { ...state.data, page } });
  });
  onFlowAction<"sn", MeetingFlowData>(feature, "sn", MEETING_FLOW, async (ctx, state) => {
    if (!(await stillManages(ctx, state))) return;
    if (state.step !== "sheet" || !state.data.draft) return ctx.answerCbQuery(ctx.t("common.staleButton"));
    await askNextReason(ctx, state);
  });
  onFlowAction<"rr", MeetingFlowData>(feature, "rr", MEETING_FLOW, async (ctx, state, [, code]) => {
    if (state.step !== "reason") return ctx.answerCbQuery(ctx.t("common.staleButton"));
    await setReason(ctx, state, ctx.t(`meetings.reasons.${code}`));
  });
  onFlowAction<"fs", MeetingFlowData>(feature, "fs", MEETING_FLOW, async (ctx, state) => {
    if (state.step === "topic") return askResolution(ctx, state);
    if (state.step === "resolution") return showTasksMenu(ctx, state);
    await ctx.answerCbQuery(ctx.t("common.staleButton"));
  });

  // Tasks.
  onFlowAction<"tn", MeetingFlowData>(feature, "tn", MEETING_FLOW, async (ctx, state) => {
    if (state.step !== "tasks") return ctx.answerCbQuery(ctx.t("common.staleButton"));
    await showTaskMembers(ctx, state, 0);
  });
  onFlowAction<"tp", MeetingFlowData>(feature, "tp", MEETING_FLOW, async (ctx, state, [, page]) => {
    if (state.step !== "taskMember") return ctx.answerCbQuery(ctx.t("common.staleButton"));
    await showTaskMembers(ctx, state, page);
  });
  onFlowAction<"tm", MeetingFlowData>(feature, "tm", MEETING_FLOW, async (ctx, state, [, memberId]) => {
    const row = state.data.draft?.rows.find((r) => r.memberId === memberId);
    if (state.step !== "taskMember" || !row) return ctx.answerCbQuery(ctx.t("common.staleButton"));
    await ctx.flow.update({ ...state, step: "taskText", data: { ...state.data, taskMember: { id: row.memberId, name: row.name } } });
    await ctx.reply(ctx.t("meetings.askTaskText", { name: row.name }));
  });
  onFlowAction<"tf", MeetingFlowData>(feature, "tf", MEETING_FLOW, async (ctx, state) => {
    if (state.step !== "tasks") return ctx.answerCbQuery(ctx.t("common.staleButton"));
    await showConfirm(ctx, state);
  });
  onFlowAction<"fy", MeetingFlowData>(feature, "fy", MEETING_FLOW, async (ctx, state) => {
    if (!(await stillManages(ctx, state))) return;
    if (state.step !== "confirm" || !state.data.draft) return ctx.answerCbQuery(ctx.t("common.staleButton"));
    await save(ctx, state);
  });

  // Corrections.
  onAction(feature, "dL", async (ctx, [branchId]) => {
    const result = await recentMeetings(ctx.app, requestOf(ctx), branchId);
    if (!result.ok) return refuse(ctx, result);
    const { branchName, meetings } = result.value;
    if (meetings.length === 0) return respond(ctx, ctx.t("meetings.recentEmpty"));
    const rows: Keyboard = meetings.map((m) => [{ text: ctx.t("meetings.recentItem", { date: formatDate(m.date), kind: ctx.t(`meetings.kinds.${m.kind}`) }), callback_data: encode("dC", m.id) }, minutesButton(ctx, m.id)]);
    await respond(ctx, ctx.t("meetings.recentTitle", { branch: branchName }), rows);
  });
  onAction(feature, "dC", async (ctx, [meetingId]) => {
    const opened = await openMeetingForCorrection(ctx.app, requestOf(ctx), meetingId);
    if (!opened.ok) return refuse(ctx, opened);
    const state: State = await ctx.flow.start<MeetingFlowData>(MEETING_FLOW, "sheet", { branchId: opened.value.branchId, branchName: opened.value.branchName, kind: opened.value.kind, draft: opened.value, page: 0 });
    const { text, keyboard } = renderSheet(ctx.t, state.id, opened.value, 0);
    await ctx.reply(text, { reply_markup: { inline_keyboard: keyboard } });
  });
  return feature;
}

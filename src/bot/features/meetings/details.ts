// After the sheet: a reason for each excused absence, topic, resolution, tasks, then the confirm screen.
// Typed answers of every step arrive here (a typed date opens the sheet).
import { Composer } from "telegraf";
import { draftCounts } from "../../../app/record-meeting.js";
import {
  MAX_REASON_LENGTH,
  MAX_RESOLUTION_LENGTH,
  MAX_TASK_LENGTH,
  MAX_TOPIC_LENGTH,
  parseShortText,
  parseTaskDue,
} from "../../../domain/attendance.js";
import { parseTypedDate } from "../../../domain/dates.js";
import { formatDate } from "../../../i18n/format.js";
import type { BotContext } from "../../context.js";
import { onFlowAction, onFlowText } from "../../flow-handlers.js";
import { encode } from "../../keyboards/callback-data.js";
import { refuse, respond } from "../../reply.js";
import { isExpectedRow, rateText, SHEET_PAGE_SIZE } from "../../views/attendance-sheet.js";
import { pagedKeyboard } from "../../views/paging.js";
import { openSheet } from "./sheet.js";
import { cancelRow, MEETING_FLOW, stillManages, type MeetingFlowData, type State } from "./state.js";

/** After the sheet: a reason for each excused absence still without one, then topic, resolution, tasks. */
async function askNextReason(ctx: BotContext, state: State): Promise<void> {
  const draft = state.data.draft!;
  const excused = draft.rows.filter((r) => r.status === "EXCUSED");
  const missing = excused.find((r) => !r.reason);
  if (!missing) return askTopic(ctx, { ...state, data: { ...state.data, reasonFor: undefined } });
  const next = { ...state, step: "reason", data: { ...state.data, reasonFor: missing.memberId } };
  await ctx.flow.update(next);
  const index = excused.indexOf(missing) + 1;
  const presets = (["SICK", "WORK", "FAMILY", "AWAY"] as const).map((code) => ({
    text: ctx.t(`meetings.reasons.${code}`),
    callback_data: encode("rr", state.id, code),
  }));
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
  await ctx.reply(ctx.t("meetings.askTopic"), {
    reply_markup: {
      inline_keyboard: [[{ text: ctx.t("common.skip"), callback_data: encode("fs", state.id) }], cancelRow(ctx, state)],
    },
  });
}

async function askResolution(ctx: BotContext, state: State): Promise<void> {
  await ctx.flow.update({ ...state, step: "resolution" });
  await ctx.reply(ctx.t("meetings.askResolution"), {
    reply_markup: {
      inline_keyboard: [[{ text: ctx.t("common.skip"), callback_data: encode("fs", state.id) }], cancelRow(ctx, state)],
    },
  });
}

async function showTasksMenu(ctx: BotContext, state: State): Promise<void> {
  await ctx.flow.update({
    ...state,
    step: "tasks",
    data: { ...state.data, taskMember: undefined, taskText: undefined },
  });
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
  const buttons = rows
    .slice(current * SHEET_PAGE_SIZE, (current + 1) * SHEET_PAGE_SIZE)
    .map((r) => ({ text: r.name, callback_data: encode("tm", state.id, r.memberId) }));
  await respond(
    ctx,
    ctx.t("meetings.chooseTaskMember"),
    pagedKeyboard(ctx.t, buttons, current, pages, (p) => encode("tp", state.id, p), [cancelRow(ctx, state)]),
  );
}

async function showConfirm(ctx: BotContext, state: State): Promise<void> {
  await ctx.flow.update({ ...state, step: "confirm" });
  const draft = state.data.draft!;
  const counts = draftCounts(draft);
  const lines = [
    ctx.t("meetings.confirm", {
      branch: draft.branchName,
      kind: ctx.t(`meetings.kinds.${draft.kind}`),
      date: formatDate(draft.date),
      rate: rateText(ctx.t, ctx.locale, draft),
      ...counts,
    }),
  ];
  const absent = draft.rows.filter((r) => r.status === "EXCUSED" || r.status === "UNEXCUSED");
  if (absent.length > 0)
    lines.push(
      ctx.t("meetings.confirmAbsent", {
        names: absent
          .map((r) => `${r.status === "EXCUSED" ? "🟡" : "❌"} ${r.name}${r.reason ? ` (${r.reason})` : ""}`)
          .join(", "),
      }),
    );
  if (draft.topic) lines.push(ctx.t("meetings.confirmTopic", { topic: draft.topic }));
  if (draft.resolution) lines.push(ctx.t("meetings.confirmResolution", { resolution: draft.resolution }));
  if (draft.tasks.length > 0) lines.push(ctx.t("meetings.confirmTasks", { count: draft.tasks.length }));
  await ctx.reply(lines.join("\n").slice(0, 4000), {
    reply_markup: {
      inline_keyboard: [
        [
          { text: ctx.t("meetings.save"), callback_data: encode("fy", state.id) },
          { text: ctx.t("common.cancel"), callback_data: encode("fn", state.id) },
        ],
      ],
    },
  });
}

/** Typed answers, the reason presets, skip, the task buttons and "tasks done". */
export function meetingDetailsHandlers(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
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
        return askResolution(ctx, {
          ...state,
          data: { ...state.data, draft: { ...state.data.draft!, topic: topic.value } },
        });
      }
      case "resolution": {
        const resolution = parseShortText(text, MAX_RESOLUTION_LENGTH);
        if (!resolution.ok) return refuse(ctx, resolution);
        return showTasksMenu(ctx, {
          ...state,
          data: { ...state.data, draft: { ...state.data.draft!, resolution: resolution.value } },
        });
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
        const tasks = [
          ...draft.tasks,
          { memberId: member.id, name: member.name, description: state.data.taskText!, dueDate: due.value },
        ];
        await ctx.reply(ctx.t("meetings.taskAdded", { name: member.name, due: formatDate(due.value) }));
        return showTasksMenu(ctx, { ...state, data: { ...state.data, draft: { ...draft, tasks } } });
      }
      default:
        return ctx.reply(ctx.t("meetings.sheetHint"));
    }
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
    await ctx.flow.update({
      ...state,
      step: "taskText",
      data: { ...state.data, taskMember: { id: row.memberId, name: row.name } },
    });
    await ctx.reply(ctx.t("meetings.askTaskText", { name: row.name }));
  });
  onFlowAction<"tf", MeetingFlowData>(feature, "tf", MEETING_FLOW, async (ctx, state) => {
    if (state.step !== "tasks") return ctx.answerCbQuery(ctx.t("common.staleButton"));
    await showConfirm(ctx, state);
  });
  return feature;
}

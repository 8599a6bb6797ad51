// /lichhop: a branch's regular meeting day (1–28 or the last day), time and place; and its meeting notices.
import { Composer } from "telegraf";
import { listBranches } from "../../app/branches.js";
import {
  getMeetingSchedule,
  setMeetingSchedule,
  setRecordsFrom,
  type MeetingSchedule,
} from "../../app/meeting-schedule.js";
import { monthLabel } from "../views/months.js";
import {
  MAX_TOPIC_LENGTH,
  parseMeetingDay,
  parseMeetingTime,
  parseShortText,
  type MeetingDay,
} from "../../domain/attendance.js";
import { parseTypedMonth } from "../../domain/dues-months.js";
import { canManageBranch, managedBranchIds } from "../../domain/roles.js";
import type { BotContext } from "../context.js";
import type { FlowState } from "../flow.js";
import { requestOf, savingRequest } from "../context.js";
import { onAction } from "../actions.js";
import { onFlowAction, onFlowText } from "../flow-handlers.js";
import { encode } from "../keyboards/callback-data.js";
import { refuse, respond, type Keyboard } from "../reply.js";
import { pagedKeyboard } from "../views/paging.js";

const FLOW = "schedule";
const RECORDS_FLOW = "schedule.records";
type RecordsData = { branchId: number; branchName?: string };
type ScheduleData = { branchId: number; branchName?: string; day?: MeetingDay; time?: string | null };

function describe(
  ctx: BotContext,
  schedule: Pick<MeetingSchedule, "day" | "time" | "place">,
): { day: string; time: string; place: string } {
  return {
    day:
      schedule.day === "LAST" ? ctx.t("schedule.lastDay") : ctx.t("schedule.dayOfMonth", { day: schedule.day ?? "" }),
    time: schedule.time ? ctx.t("schedule.at", { time: schedule.time }) : "",
    place: schedule.place ? ctx.t("schedule.atPlace", { place: schedule.place }) : "",
  };
}

/** Parts of the schedule screen other features own, handed in by the composition root. */
export interface ScheduleScreenParts {
  /** The buttons of the branch's meeting notices (meeting-notices.ts). */
  noticeRows: (ctx: BotContext, branchId: number) => Promise<Keyboard>;
  /** The line about the branch's linked group chat (branch-group.ts). */
  groupStatusLine: (ctx: BotContext, branchId: number) => Promise<string | null>;
}

async function showSchedule(
  ctx: BotContext,
  branchId: number,
  { noticeRows, groupStatusLine }: ScheduleScreenParts,
): Promise<void> {
  const result = await getMeetingSchedule(ctx.app, requestOf(ctx), branchId);
  if (!result.ok) return refuse(ctx, result);
  const text =
    result.value.day === null
      ? ctx.t("schedule.notSet", { branch: result.value.branchName })
      : ctx.t("schedule.current", { branch: result.value.branchName, ...describe(ctx, result.value) });
  const records = result.value.recordsFrom
    ? ctx.t("schedule.recordsFrom", { month: monthLabel(ctx, result.value.recordsFrom) })
    : ctx.t("schedule.recordsFromUnknown");
  const rows = canManageBranch(ctx.actor, branchId)
    ? [
        [{ text: ctx.t("schedule.change"), callback_data: encode("lS", branchId) }],
        [{ text: ctx.t("schedule.changeRecordsFrom"), callback_data: encode("lR", branchId) }],
        ...(await noticeRows(ctx, branchId)),
      ]
    : [];
  const group = await groupStatusLine(ctx, branchId);
  await respond(ctx, [text, records, ...(group ? [group] : [])].join("\n"), rows);
}

async function save(ctx: BotContext, state: FlowState<ScheduleData>, place: string | null): Promise<void> {
  const data = state.data;
  const schedule = { day: data.day!, time: data.time ?? null, place };
  const summary = ctx.t("schedule.saved", { branch: data.branchName ?? "", ...describe(ctx, schedule) });
  const result = await setMeetingSchedule(ctx.app, savingRequest(ctx, state, summary), data.branchId, schedule);
  if (!result.ok) return refuse(ctx, result);
  await ctx.flow.clear();
  await ctx.reply(ctx.t("schedule.saved", { branch: result.value.branchName, ...describe(ctx, result.value) }));
}

export function meetingScheduleFeature(parts: ScheduleScreenParts): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command("lichhop", async (ctx) => {
    const scope = managedBranchIds(ctx.actor);
    if (scope !== "all" && scope.length === 1 && scope[0] !== undefined) return showSchedule(ctx, scope[0], parts);
    if (scope !== "all" && scope.length === 0)
      return ctx.actor.member
        ? showSchedule(ctx, ctx.actor.member.branchId, parts)
        : refuse(ctx, { code: "AUTH.FORBIDDEN" });
    const branches = await listBranches(ctx.app, requestOf(ctx), 0);
    if (!branches.ok) return refuse(ctx, branches);
    const buttons = branches.value.items.map((b) => ({ text: b.name, callback_data: encode("ls", b.id) }));
    await ctx.reply(ctx.t("schedule.chooseBranch"), {
      reply_markup: {
        inline_keyboard: pagedKeyboard(ctx.t, buttons, branches.value.page, branches.value.pages, (p) =>
          encode("bl", p),
        ),
      },
    });
  });
  onAction(feature, "ls", (ctx, [branchId]) => showSchedule(ctx, branchId, parts));
  onAction(feature, "lR", async (ctx, [branchId]) => {
    if (!canManageBranch(ctx.actor, branchId)) return refuse(ctx, { code: "AUTH.FORBIDDEN" });
    const current = await getMeetingSchedule(ctx.app, requestOf(ctx), branchId);
    if (!current.ok) return refuse(ctx, current);
    const state = await ctx.flow.start<RecordsData>(RECORDS_FLOW, "month", {
      branchId,
      branchName: current.value.branchName,
    });
    await ctx.reply(ctx.t("schedule.askRecordsFrom"), {
      reply_markup: { inline_keyboard: [[{ text: ctx.t("common.cancel"), callback_data: encode("fn", state.id) }]] },
    });
  });
  onFlowText<RecordsData>(feature, RECORDS_FLOW, async (ctx, state, text) => {
    // The month as typed: a month the rules refuse is refused before anything is saved.
    const typed = parseTypedMonth(text);
    const summary = ctx.t("schedule.recordsFromSaved", {
      branch: state.data.branchName ?? "",
      month: typed.ok ? monthLabel(ctx, typed.value) : text.trim(),
    });
    const result = await setRecordsFrom(ctx.app, savingRequest(ctx, state, summary), state.data.branchId, text);
    if (!result.ok) return refuse(ctx, result);
    await ctx.flow.clear();
    await ctx.reply(
      ctx.t("schedule.recordsFromSaved", {
        branch: result.value.branchName,
        month: monthLabel(ctx, result.value.recordsFrom),
      }),
    );
  });
  onAction(feature, "lS", async (ctx, [branchId]) => {
    if (!canManageBranch(ctx.actor, branchId)) return refuse(ctx, { code: "AUTH.FORBIDDEN" });
    const current = await getMeetingSchedule(ctx.app, requestOf(ctx), branchId);
    if (!current.ok) return refuse(ctx, current);
    const state = await ctx.flow.start<ScheduleData>(FLOW, "day", { branchId, branchName: current.value.branchName });
    await ctx.reply(ctx.t("schedule.askDay"), {
      reply_markup: {
        inline_keyboard: [
          [{ text: ctx.t("schedule.lastDayButton"), callback_data: encode("lL", state.id) }],
          [{ text: ctx.t("common.cancel"), callback_data: encode("fn", state.id) }],
        ],
      },
    });
  });
  const askTime = async (ctx: BotContext, state: { id: string; flow: string; data: ScheduleData }, day: MeetingDay) => {
    await ctx.flow.update({ ...state, step: "time", data: { ...state.data, day } });
    await ctx.reply(ctx.t("schedule.askTime"), {
      reply_markup: { inline_keyboard: [[{ text: ctx.t("common.skip"), callback_data: encode("fs", state.id) }]] },
    });
  };
  const askPlace = async (
    ctx: BotContext,
    state: { id: string; flow: string; data: ScheduleData },
    time: string | null,
  ) => {
    await ctx.flow.update({ ...state, step: "place", data: { ...state.data, time } });
    await ctx.reply(ctx.t("schedule.askPlace"), {
      reply_markup: { inline_keyboard: [[{ text: ctx.t("common.skip"), callback_data: encode("fs", state.id) }]] },
    });
  };
  onFlowAction<"lL", ScheduleData>(feature, "lL", FLOW, (ctx, state) => askTime(ctx, state, "LAST"));
  onFlowAction<"fs", ScheduleData>(feature, "fs", FLOW, async (ctx, state) => {
    if (state.step === "time") return askPlace(ctx, state, null);
    if (state.step === "place") return save(ctx, state, null);
    await ctx.answerCbQuery(ctx.t("common.staleButton"));
  });
  onFlowText<ScheduleData>(feature, FLOW, async (ctx, state, text) => {
    if (state.step === "day") {
      const day = parseMeetingDay(text);
      if (!day.ok) return refuse(ctx, day);
      return askTime(ctx, state, day.value);
    }
    if (state.step === "time") {
      const time = parseMeetingTime(text);
      if (!time.ok) return refuse(ctx, time);
      return askPlace(ctx, state, time.value);
    }
    const place = parseShortText(text, MAX_TOPIC_LENGTH);
    if (!place.ok) return refuse(ctx, place);
    return save(ctx, state, place.value);
  });
  return feature;
}

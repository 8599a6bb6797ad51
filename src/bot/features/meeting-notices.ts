// Meeting notices: the secretary sends one from /lichhop (day, kind, time, place, agenda, a look, send);
// each member answers "✅ Sẽ dự" or "🟡 Xin vắng" with a reason (a usual one or typed); the secretary sees
// who answered what and who did not. The notices and reminders the bot sends itself are worded by
// views/meeting-notice.ts, the same as these.
import { Composer } from "telegraf";
import {
  answerNotice,
  checkAnswerable,
  checkNotice,
  noticeDefaults,
  noticeReplies,
  sendMeetingNotice,
  upcomingNotices,
  type NoticeInput,
} from "../../app/meeting-notices.js";
import {
  MAX_REASON_LENGTH,
  MAX_TOPIC_LENGTH,
  parseMeetingTime,
  parseShortText,
  PRESET_REASONS,
  type MeetingKind,
} from "../../domain/attendance.js";
import { isoDateIn, parseTypedDate } from "../../domain/dates.js";
import { canManageBranch } from "../../domain/roles.js";
import { formatDate } from "../../i18n/format.js";
import { onAction } from "../actions.js";
import { requestOf, savingRequest, type BotContext } from "../context.js";
import type { FlowState } from "../flow.js";
import { onFlowAction, onFlowText } from "../flow-handlers.js";
import { encode } from "../keyboards/callback-data.js";
import { refuse, respond, type Keyboard } from "../reply.js";
import { answerButtons, noticeSentence, noticeWordings } from "../views/meeting-notice.js";

const FLOW = "notice";
const REASON_FLOW = "notice.reason";

interface NoticeFlowData {
  branchId: number;
  branchName: string;
  defaults: { date: string | null; time: string | null; place: string | null; hasGroup: boolean };
  date?: string;
  kind?: MeetingKind;
  time?: string | null;
  place?: string | null;
  topic?: string | null;
}
type State = FlowState<NoticeFlowData>;

const cancelRow = (ctx: BotContext, id: string) => [{ text: ctx.t("common.cancel"), callback_data: encode("fn", id) }];
const skipRow = (ctx: BotContext, id: string) => [{ text: ctx.t("common.skip"), callback_data: encode("fs", id) }];

/** The rows /lichhop adds for a branch the actor runs: send a notice, and the answers to the coming ones. */
export async function noticeRows(ctx: BotContext, branchId: number): Promise<Keyboard> {
  if (!canManageBranch(ctx.actor, branchId)) return [];
  const upcoming = await upcomingNotices(ctx.app, requestOf(ctx), branchId);
  const views = upcoming.ok
    ? upcoming.value.map((n) => [
        { text: ctx.t("meetingNotices.viewReplies", { date: formatDate(n.date) }), callback_data: encode("nV", n.id) },
      ])
    : [];
  return [[{ text: ctx.t("meetingNotices.send"), callback_data: encode("nN", branchId) }], ...views];
}

function inputOf(state: State): NoticeInput {
  return {
    kind: state.data.kind ?? "REGULAR",
    date: state.data.date!,
    time: state.data.time ?? null,
    place: state.data.place ?? null,
    topic: state.data.topic ?? null,
  };
}

function detailsOf(state: State) {
  return { noticeId: 0, branchName: state.data.branchName, ...inputOf(state) };
}

async function setDate(ctx: BotContext, state: State, date: string): Promise<void> {
  const checked = checkNotice(
    { ...inputOf({ ...state, data: { ...state.data, date } }) },
    isoDateIn(ctx.now, ctx.app.timeZone),
  );
  if (!checked.ok) return refuse(ctx, checked);
  await ctx.flow.update({ ...state, step: "kind", data: { ...state.data, date } });
  const kinds: MeetingKind[] = ["REGULAR", "THEMATIC", "EXTRAORDINARY"];
  await ctx.reply(ctx.t("meetingNotices.askKind"), {
    reply_markup: {
      inline_keyboard: [
        kinds.map((kind) => ({
          text: ctx.t(`meetings.kindButtons.${kind}`),
          callback_data: encode("nJ", state.id, kind),
        })),
        cancelRow(ctx, state.id),
      ],
    },
  });
}

async function askTime(ctx: BotContext, state: State): Promise<void> {
  await ctx.flow.update({ ...state, step: "time" });
  const time = state.data.defaults.time;
  const rows: Keyboard = [
    ...(time ? [[{ text: ctx.t("meetingNotices.defaultTime", { time }), callback_data: encode("nT", state.id) }]] : []),
    skipRow(ctx, state.id),
    cancelRow(ctx, state.id),
  ];
  await ctx.reply(ctx.t("meetingNotices.askTime"), { reply_markup: { inline_keyboard: rows } });
}

async function askPlace(ctx: BotContext, state: State, time: string | null): Promise<void> {
  const next = { ...state, step: "place", data: { ...state.data, time } };
  await ctx.flow.update(next);
  const place = state.data.defaults.place;
  const rows: Keyboard = [
    ...(place
      ? [
          [
            {
              text: ctx.t("meetingNotices.defaultPlace", { place }).slice(0, 60),
              callback_data: encode("nP", state.id),
            },
          ],
        ]
      : []),
    skipRow(ctx, state.id),
    cancelRow(ctx, state.id),
  ];
  await ctx.reply(ctx.t("meetingNotices.askPlace"), { reply_markup: { inline_keyboard: rows } });
}

async function askTopic(ctx: BotContext, state: State, place: string | null): Promise<void> {
  await ctx.flow.update({ ...state, step: "topic", data: { ...state.data, place } });
  await ctx.reply(ctx.t("meetingNotices.askTopic"), {
    reply_markup: { inline_keyboard: [skipRow(ctx, state.id), cancelRow(ctx, state.id)] },
  });
}

async function showConfirm(ctx: BotContext, state: State, topic: string | null): Promise<void> {
  const next: State = { ...state, step: "confirm", data: { ...state.data, topic } };
  await ctx.flow.update(next);
  const text = ctx.t("meetingNotices.confirm", {
    sentence: noticeSentence(ctx.t, detailsOf(next)),
    group: state.data.defaults.hasGroup ? ctx.t("meetingNotices.confirmGroup") : "",
  });
  await ctx.reply(text, {
    reply_markup: {
      inline_keyboard: [
        [
          { text: ctx.t("meetingNotices.confirmSend"), callback_data: encode("fy", state.id) },
          { text: ctx.t("common.cancel"), callback_data: encode("fn", state.id) },
        ],
      ],
    },
  });
}

async function send(ctx: BotContext, state: State): Promise<void> {
  const input = inputOf(state);
  const summary = ctx.t("meetingNotices.sentSummary", { date: formatDate(input.date) });
  const result = await sendMeetingNotice(
    ctx.app,
    savingRequest(ctx, state, summary),
    state.data.branchId,
    input,
    noticeWordings,
  );
  if (!result.ok) {
    if (result.code === "NOTICE.EXISTS") await ctx.flow.clear();
    return refuse(ctx, result);
  }
  await ctx.flow.clear();
  const { noticeId, sent, toGroup } = result.value;
  await respond(
    ctx,
    ctx.t("meetingNotices.sent", {
      date: formatDate(input.date),
      count: sent,
      group: toGroup ? ctx.t("meetingNotices.sentGroup") : "",
    }),
    [
      [
        {
          text: ctx.t("meetingNotices.viewReplies", { date: formatDate(input.date) }),
          callback_data: encode("nV", noticeId),
        },
      ],
    ],
  );
}

async function showReplies(ctx: BotContext, noticeId: number): Promise<void> {
  const result = await noticeReplies(ctx.app, requestOf(ctx), noticeId);
  if (!result.ok) return refuse(ctx, result);
  const { details, attending, excused, waiting } = result.value;
  const lines = [
    ctx.t("meetingNotices.repliesTitle", {
      sentence: noticeSentence(ctx.t, details),
      attending: attending.length,
      excused: excused.length,
      waiting: waiting.length,
    }),
  ];
  if (excused.length > 0)
    lines.push(
      "",
      ctx.t("meetingNotices.repliesExcused"),
      ...excused.map((e) => ctx.t("meetingNotices.repliesExcusedItem", { name: e.name, reason: e.reason ?? "" })),
    );
  if (waiting.length > 0)
    lines.push(
      "",
      ctx.t("meetingNotices.repliesWaiting"),
      ...waiting.map((w) =>
        ctx.t(w.linked ? "meetingNotices.repliesWaitingItem" : "meetingNotices.repliesNotLinked", { name: w.name }),
      ),
    );
  if (attending.length > 0) lines.push("", ctx.t("meetingNotices.repliesAttending", { names: attending.join(", ") }));
  lines.push("", ctx.t("meetingNotices.repliesHint", { date: formatDate(details.date) }));
  // A branch of 60 fits in one message; a longer list goes out in pieces rather than cut.
  let chunk = "";
  for (const line of lines) {
    if (chunk.length + line.length + 1 > 4000) {
      await ctx.reply(chunk);
      chunk = "";
    }
    chunk = chunk ? `${chunk}\n${line}` : line;
  }
  if (chunk) await ctx.reply(chunk);
}

async function recordExcuse(ctx: BotContext, noticeId: number, reason: string): Promise<void> {
  const result = await answerNotice(ctx.app, requestOf(ctx), noticeId, "EXCUSED", reason);
  if (!result.ok) return refuse(ctx, result);
  const current = await ctx.flow.current(REASON_FLOW);
  if (current) await ctx.flow.clear();
  await respond(
    ctx,
    ctx.t("meetingNotices.answeredExcused", {
      date: formatDate(result.value.details.date),
      reason: result.value.reason ?? "",
    }),
  );
}

export function meetingNoticesFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  // The secretary's side.
  onAction(feature, "nN", async (ctx, [branchId]) => {
    const defaults = await noticeDefaults(ctx.app, requestOf(ctx), branchId);
    if (!defaults.ok) return refuse(ctx, defaults);
    const { branchName, ...rest } = defaults.value;
    const state = await ctx.flow.start<NoticeFlowData>(FLOW, "date", { branchId, branchName, defaults: rest });
    const rows: Keyboard = [
      ...(rest.date
        ? [
            [
              {
                text: ctx.t("meetingNotices.scheduledDate", { date: formatDate(rest.date) }),
                callback_data: encode("nD", state.id, rest.date.replaceAll("-", "")),
              },
            ],
          ]
        : []),
      cancelRow(ctx, state.id),
    ];
    await ctx.reply(ctx.t("meetingNotices.askDate"), { reply_markup: { inline_keyboard: rows } });
  });
  onFlowAction<"nD", NoticeFlowData>(feature, "nD", FLOW, async (ctx, state, [, compact]) => {
    if (state.step !== "date") return ctx.answerCbQuery(ctx.t("common.staleButton"));
    await setDate(ctx, state, `${compact.slice(0, 4)}-${compact.slice(4, 6)}-${compact.slice(6)}`);
  });
  onFlowAction<"nJ", NoticeFlowData>(feature, "nJ", FLOW, async (ctx, state, [, kind]) => {
    if (state.step !== "kind") return ctx.answerCbQuery(ctx.t("common.staleButton"));
    await askTime(ctx, { ...state, data: { ...state.data, kind } });
  });
  onFlowAction<"nT", NoticeFlowData>(feature, "nT", FLOW, async (ctx, state) => {
    if (state.step !== "time") return ctx.answerCbQuery(ctx.t("common.staleButton"));
    await askPlace(ctx, state, state.data.defaults.time);
  });
  onFlowAction<"nP", NoticeFlowData>(feature, "nP", FLOW, async (ctx, state) => {
    if (state.step !== "place") return ctx.answerCbQuery(ctx.t("common.staleButton"));
    await askTopic(ctx, state, state.data.defaults.place);
  });
  onFlowAction<"fs", NoticeFlowData>(feature, "fs", FLOW, async (ctx, state) => {
    if (state.step === "time") return askPlace(ctx, state, null);
    if (state.step === "place") return askTopic(ctx, state, null);
    if (state.step === "topic") return showConfirm(ctx, state, null);
    await ctx.answerCbQuery(ctx.t("common.staleButton"));
  });
  onFlowAction<"fy", NoticeFlowData>(feature, "fy", FLOW, async (ctx, state) => {
    if (state.step !== "confirm" || !state.data.date) return ctx.answerCbQuery(ctx.t("common.staleButton"));
    await send(ctx, state);
  });
  onFlowText<NoticeFlowData>(feature, FLOW, async (ctx, state, text) => {
    switch (state.step) {
      case "date": {
        const date = parseTypedDate(text);
        if (!date.ok) return refuse(ctx, { code: date.problem });
        return setDate(ctx, state, date.date);
      }
      case "time": {
        const time = parseMeetingTime(text);
        if (!time.ok) return refuse(ctx, time);
        return askPlace(ctx, state, time.value);
      }
      case "place": {
        const place = parseShortText(text, MAX_TOPIC_LENGTH);
        if (!place.ok) return refuse(ctx, place);
        return askTopic(ctx, state, place.value);
      }
      case "topic": {
        const topic = parseShortText(text, MAX_TOPIC_LENGTH);
        if (!topic.ok) return refuse(ctx, topic);
        return showConfirm(ctx, state, topic.value);
      }
      default:
        return ctx.reply(ctx.t("meetingNotices.askKind"));
    }
  });
  onAction(feature, "nV", (ctx, [noticeId]) => showReplies(ctx, noticeId));

  // The member's side.
  onAction(feature, "nA", async (ctx, [noticeId]) => {
    const result = await answerNotice(ctx.app, requestOf(ctx), noticeId, "ATTEND", null);
    if (!result.ok) return refuse(ctx, result);
    await respond(
      ctx,
      ctx.t("meetingNotices.answeredAttend", { sentence: noticeSentence(ctx.t, result.value.details) }),
      answerButtons(ctx.t, noticeId),
    );
  });
  onAction(feature, "nE", async (ctx, [noticeId]) => {
    const notice = await checkAnswerable(ctx.app, requestOf(ctx), noticeId);
    if (!notice.ok) return refuse(ctx, notice);
    const state = await ctx.flow.start(REASON_FLOW, "reason", { noticeId });
    const presets = PRESET_REASONS.map((code) => ({
      text: ctx.t(`meetings.reasons.${code}`),
      callback_data: encode("nR", noticeId, code),
    }));
    await ctx.reply(ctx.t("meetingNotices.askReason", { date: formatDate(notice.value.date) }), {
      reply_markup: { inline_keyboard: [presets.slice(0, 2), presets.slice(2), cancelRow(ctx, state.id)] },
    });
  });
  onAction(feature, "nR", (ctx, [noticeId, code]) => recordExcuse(ctx, noticeId, ctx.t(`meetings.reasons.${code}`)));
  onFlowText<{ noticeId: number }>(feature, REASON_FLOW, async (ctx, state, text) => {
    const reason = parseShortText(text, MAX_REASON_LENGTH);
    if (!reason.ok) return refuse(ctx, reason);
    await recordExcuse(ctx, state.data.noticeId, reason.value);
  });
  return feature;
}

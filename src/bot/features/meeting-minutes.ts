// "📄 Biên bản": the minutes of a saved meeting as a Word document, sent to the asker's own private chat.
// The button is on the saved meeting's message and on the list of recent meetings; its data names a
// meeting, so the use case checks again that the asker runs that meeting's branch. The chair and the
// minute-taker default to the secretary and the deputy; "✏️ Đổi chủ trì, thư ký" asks for other names.
import { Composer } from "telegraf";
import {
  MAX_PERSON_NAME_LENGTH,
  mayHaveMinutes,
  meetingMinutes,
  type MinutesPeople,
} from "../../app/meeting-minutes.js";
import { parseShortText } from "../../domain/attendance.js";
import { meetingMinutesDocx } from "../../files/meeting-minutes-docx.js";
import { formatDate } from "../../i18n/format.js";
import { translator } from "../../i18n/index.js";
import { onAction } from "../actions.js";
import { requestOf, type BotContext } from "../context.js";
import type { FlowState } from "../flow.js";
import { onFlowAction, onFlowText } from "../flow-handlers.js";
import { encode } from "../keyboards/callback-data.js";
import { refuse } from "../reply.js";

const PEOPLE_FLOW = "minutes.people";
type PeopleData = { meetingId: number; chair?: string };

async function sendMinutes(ctx: BotContext, meetingId: number, people: MinutesPeople = {}): Promise<void> {
  const result = await meetingMinutes(ctx.app, requestOf(ctx), meetingId, people);
  if (!result.ok) return refuse(ctx, result);
  if (ctx.callbackQuery) await ctx.answerCbQuery().catch(() => undefined);
  // The minutes are a Vietnamese party document whatever language the officer reads the bot in.
  const file = await meetingMinutesDocx(result.value, translator("vi"));
  const data = result.value;
  // Internal documents go only to the asker's own private chat (the bot works in private chats only).
  await ctx.replyWithDocument(
    { source: file.content, filename: file.fileName },
    {
      caption: ctx.t("minutes.caption", {
        kind: ctx.t(`meetings.kinds.${data.kind}`),
        date: formatDate(data.date),
        branch: data.branchName,
      }),
      reply_markup: {
        inline_keyboard: [[{ text: ctx.t("minutes.changePeople"), callback_data: encode("mP", meetingId) }]],
      },
    },
  );
}

async function askMinuteTaker(ctx: BotContext, state: FlowState<PeopleData>, chair: string | undefined): Promise<void> {
  const next = await ctx.flow.start<PeopleData>(PEOPLE_FLOW, "minuteTaker", {
    meetingId: state.data.meetingId,
    ...(chair ? { chair } : {}),
  });
  await ctx.reply(ctx.t("minutes.askMinuteTaker"), {
    reply_markup: {
      inline_keyboard: [
        [{ text: ctx.t("minutes.keepDefault"), callback_data: encode("fs", next.id) }],
        [{ text: ctx.t("common.cancel"), callback_data: encode("fn", next.id) }],
      ],
    },
  });
}

async function finish(ctx: BotContext, state: FlowState<PeopleData>, minuteTaker: string | undefined): Promise<void> {
  await ctx.flow.clear();
  await sendMinutes(ctx, state.data.meetingId, {
    ...(state.data.chair ? { chair: state.data.chair } : {}),
    ...(minuteTaker ? { minuteTaker } : {}),
  });
}

export function meetingMinutesFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  onAction(feature, "mB", (ctx, [meetingId]) => sendMinutes(ctx, meetingId));
  onAction(feature, "mP", async (ctx, [meetingId]) => {
    const allowed = await mayHaveMinutes(ctx.app, requestOf(ctx), meetingId);
    if (!allowed.ok) return refuse(ctx, allowed);
    const state = await ctx.flow.start<PeopleData>(PEOPLE_FLOW, "chair", { meetingId });
    await ctx.reply(ctx.t("minutes.askChair"), {
      reply_markup: {
        inline_keyboard: [
          [{ text: ctx.t("minutes.keepDefault"), callback_data: encode("fs", state.id) }],
          [{ text: ctx.t("common.cancel"), callback_data: encode("fn", state.id) }],
        ],
      },
    });
  });
  onFlowAction<"fs", PeopleData>(feature, "fs", PEOPLE_FLOW, (ctx, state) =>
    state.step === "chair" ? askMinuteTaker(ctx, state, undefined) : finish(ctx, state, undefined),
  );
  onFlowText<PeopleData>(feature, PEOPLE_FLOW, async (ctx, state, text) => {
    const name = parseShortText(text, MAX_PERSON_NAME_LENGTH);
    if (!name.ok) return refuse(ctx, name);
    return state.step === "chair" ? askMinuteTaker(ctx, state, name.value) : finish(ctx, state, name.value);
  });
  return feature;
}

// The one transactional save of a new meeting or a correction, and the notice an absent member gets.
import { Composer } from "telegraf";
import type { MeetingDraft } from "../../../app/attendance-sheet.js";
import { correctMeeting, draftCounts, recordMeeting, type AbsenceNotice } from "../../../app/record-meeting.js";
import type { Worded } from "../../../app/notices.js";
import { formatDate } from "../../../i18n/format.js";
import { translator } from "../../../i18n/index.js";
import type { BotContext } from "../../context.js";
import { savingRequest } from "../../context.js";
import { onFlowAction } from "../../flow-handlers.js";
import { encode } from "../../keyboards/callback-data.js";
import { refuse, respond } from "../../reply.js";
import { rateText } from "../../views/attendance-sheet.js";
import { MEETING_FLOW, stillManages, type MeetingFlowData, type State } from "./state.js";
import { minutesButton } from "../../views/minutes-button.js";

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
  return ctx.t("meetings.saved", {
    kind: ctx.t(`meetings.kinds.${draft.kind}`),
    date: formatDate(draft.date),
    branch: draft.branchName,
    present,
    expected,
    rate: rateText(ctx.t, ctx.locale, draft),
  });
}

async function save(ctx: BotContext, state: State): Promise<void> {
  const draft = state.data.draft!;
  const request = savingRequest(ctx, state, savedText(ctx, draft));
  if (draft.meetingId === null) {
    const result = await recordMeeting(ctx.app, request, draft, wordAbsenceNotice);
    if (!result.ok) {
      if (result.code === "MEETING.REGULAR_EXISTS" && "meetingId" in result) {
        await ctx.flow.clear();
        return respond(ctx, ctx.t("errors.meetingRegularExists", { date: formatDate(result.params.date) }), [
          [{ text: ctx.t("meetings.editExisting"), callback_data: encode("dC", result.meetingId) }],
        ]);
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
  await respond(
    ctx,
    ctx.t("meetings.corrected", {
      date: formatDate(draft.date),
      changed,
      present: counts.present,
      expected: counts.expected,
      rate: rateText(ctx.t, ctx.locale, draft),
    }),
    [[minutesButton(ctx, result.value.meeting.id)]],
  );
}

/** The confirm screen's save button. */
export function meetingSaveHandlers(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  onFlowAction<"fy", MeetingFlowData>(feature, "fy", MEETING_FLOW, async (ctx, state) => {
    if (!(await stillManages(ctx, state))) return;
    if (state.step !== "confirm" || !state.data.draft) return ctx.answerCbQuery(ctx.t("common.staleButton"));
    await save(ctx, state);
  });
  return feature;
}

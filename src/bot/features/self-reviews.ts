// /tukiemdiem: during the season a member sends the year-end self-review as text or a file (PDF, DOCX,
// JPG/PNG up to 20 MB, type checked by content); each sending is a new version. Officers list who sent
// and who did not, open a submission (the file comes to their private chat only) and mark it reviewed;
// the committee sees counts per branch. The branch's secretary or deputy records a review a member handed in
// on paper (date received, optionally a scan or photo) for members who have no Telegram.
import { Composer } from "telegraf";
import { viewBranch } from "../../app/branches.js";
import {
  branchSelfReviews,
  checkPaperReceivedDate,
  committeeSelfReviewCounts,
  markSelfReviewReviewed,
  openSelfReview,
  paperReceivedOn,
  paperSelfReviewCandidates,
  preparePaperSelfReview,
  recordPaperSelfReview,
  selfReviewSeason,
  submitSelfReview,
  type Submission,
} from "../../app/self-reviews.js";
import { AWAY_PARAMS } from "../../app/exemptions.js";
import { parseShortText } from "../../domain/attendance.js";
import { selfReviewWindow } from "../../domain/away.js";
import { DEFAULT_MAX_UPLOAD_BYTES } from "../../domain/file-types.js";
import { isCommittee } from "../../domain/roles.js";
import { isoDateIn } from "../../domain/dates.js";
import { formatDate } from "../../i18n/format.js";
import type { BotContext } from "../context.js";
import { requestOf, savingRequest } from "../context.js";
import { onAction } from "../actions.js";
import type { FlowState } from "../flow.js";
import { onFlowAction, onFlowText } from "../flow-handlers.js";
import { encode } from "../keyboards/callback-data.js";
import { refuse, replyInChunks, respond, type Keyboard } from "../reply.js";
import { pagedKeyboard } from "../views/paging.js";
import { downloadTelegramFile, type FileReceiver, type IncomingFile } from "../telegram-files.js";

const SELF_REVIEW_FLOW = "selfReview";
const COMMENT_FLOW = "selfReview.comment";
/** An officer recording a paper self-review: step "date" (typed), then "file" (a scan or photo, or skip). */
const PAPER_SELF_REVIEW_FLOW = "selfReview.paper";
type PaperFlowData = { memberId: number; name: string; year?: number; receivedOn?: string };

async function acknowledge(ctx: BotContext, submission: Submission): Promise<void> {
  const result = await submitSelfReview(ctx.app, requestOf(ctx), submission);
  if (!result.ok) return refuse(ctx, result);
  const { review, late } = result.value;
  const text = review.file
    ? ctx.t("away.reviewSaved", {
        year: review.year,
        version: review.version,
        checksum: review.file.sha256.slice(0, 12),
      })
    : ctx.t("away.reviewSavedText", { year: review.year, version: review.version });
  const due = selfReviewWindow(review.year, AWAY_PARAMS).due;
  await ctx.reply(late ? `${text}\n${ctx.t("away.reviewLate", { due: formatDate(due) })}` : text);
}

/** The member's file: size and type are checked before and after download; nothing is stored half. */
async function receiveSelfReviewFile(ctx: BotContext, file: IncomingFile): Promise<void> {
  // Telegram's announced size spares a pointless download; the content is checked again after it.
  if (file.size > DEFAULT_MAX_UPLOAD_BYTES) return refuse(ctx, { code: "FILE.TOO_LARGE" });
  const content = await downloadTelegramFile(ctx, file.fileId, DEFAULT_MAX_UPLOAD_BYTES);
  if (!content.ok) return refuse(ctx, content.code === "IMPORT.FILE_TOO_LARGE" ? { code: "FILE.TOO_LARGE" } : content);
  await acknowledge(ctx, { text: null, file: { content: content.value, fileName: file.fileName } });
}

/** Saves the paper self-review being recorded, with the scan or photo if one was sent. */
async function savePaper(
  ctx: BotContext,
  state: FlowState<PaperFlowData>,
  file: { content: Buffer; fileName: string } | null,
): Promise<void> {
  const summary = ctx.t("away.reviewPaperSaved", {
    year: state.data.year ?? "",
    name: state.data.name,
    date: state.data.receivedOn ? formatDate(state.data.receivedOn) : "",
    file: "",
  });
  const result = await recordPaperSelfReview(
    ctx.app,
    savingRequest(ctx, state, summary),
    state.data.memberId,
    state.data.receivedOn ?? "",
    file,
  );
  // A file that is refused leaves the flow waiting for another one (or Skip); anything else ends it.
  if (!result.ok && result.code.startsWith("FILE.")) return refuse(ctx, result);
  await ctx.flow.clear();
  if (!result.ok) return refuse(ctx, result);
  const { review, receivedOn, late } = result.value;
  const text = ctx.t("away.reviewPaperSaved", {
    year: review.year,
    name: review.memberName,
    date: formatDate(receivedOn),
    file: review.file ? ctx.t("away.reviewPaperSavedFile", { checksum: review.file.sha256.slice(0, 12) }) : "",
  });
  const due = selfReviewWindow(review.year, AWAY_PARAMS).due;
  await ctx.reply(late ? `${text}\n${ctx.t("away.reviewLate", { due: formatDate(due) })}` : text);
}

/** A scan or photo sent while a paper self-review waits for one: checked like the member's own upload. */
async function receivePaperSelfReviewFile(
  ctx: BotContext,
  state: FlowState<PaperFlowData>,
  file: IncomingFile,
): Promise<void> {
  if (file.size > DEFAULT_MAX_UPLOAD_BYTES) return refuse(ctx, { code: "FILE.TOO_LARGE" });
  const content = await downloadTelegramFile(ctx, file.fileId, DEFAULT_MAX_UPLOAD_BYTES);
  if (!content.ok) return refuse(ctx, content.code === "IMPORT.FILE_TOO_LARGE" ? { code: "FILE.TOO_LARGE" } : content);
  await savePaper(ctx, state, { content: content.value, fileName: file.fileName });
}

/** Files the self-review flows take: the member's own review, then an officer's scan of a paper one. */
export const selfReviewFileReceivers: readonly FileReceiver[] = [
  async (ctx, file) => {
    if (!(await ctx.flow.current(SELF_REVIEW_FLOW))) return false;
    await ctx.flow.clear();
    await receiveSelfReviewFile(ctx, file);
    return true;
  },
  async (ctx, file) => {
    const paper = await ctx.flow.current<PaperFlowData>(PAPER_SELF_REVIEW_FLOW);
    if (!paper || paper.step !== "file") return false;
    await receivePaperSelfReviewFile(ctx, paper, file);
    return true;
  },
];

async function showBranch(ctx: BotContext, branchId: number): Promise<void> {
  const result = await branchSelfReviews(ctx.app, requestOf(ctx), branchId);
  if (!result.ok) return refuse(ctx, result);
  const card = await viewBranch(ctx.app, requestOf(ctx), branchId);
  const { year, submitted, missing, canRecordPaper } = result.value;
  const lines = [
    ctx.t("away.reviewTitle", {
      year,
      branch: card.ok ? card.value.branch.name : "",
      submitted: submitted.length,
      missing: missing.length,
    }),
    ...submitted.map((r) => {
      const paperOn = paperReceivedOn(ctx.app, r);
      const marks =
        (paperOn ? ctx.t("away.reviewPaperMark", { date: formatDate(paperOn) }) : "") +
        (r.reviewedAt ? ctx.t("away.reviewReviewedMark") : "");
      return ctx.t("away.reviewSubmittedLine", { name: r.memberName, version: r.version, reviewed: marks });
    }),
    ...missing.map((m) => ctx.t("away.reviewMissingLine", { name: m.fullName })),
  ];
  const buttons: Keyboard = submitted
    .slice(0, 40)
    .map((r) => [{ text: ctx.t("away.reviewOpen", { name: r.memberName }), callback_data: encode("rv", r.id) }]);
  if (canRecordPaper) {
    buttons.push([{ text: ctx.t("away.reviewPaperButton"), callback_data: encode("rP", branchId, 0) }]);
  }
  await replyInChunks(ctx, lines);
  if (buttons.length > 0)
    await ctx.reply(
      ctx.t("away.reviewTitle", {
        year,
        branch: card.ok ? card.value.branch.name : "",
        submitted: submitted.length,
        missing: missing.length,
      }),
      { reply_markup: { inline_keyboard: buttons } },
    );
}

/** A member (an officer or committee member too) starts sending their own self-review. */
async function startOwnReview(ctx: BotContext): Promise<void> {
  if (!ctx.actor.member) return refuse(ctx, { code: "AUTH.FORBIDDEN" });
  const season = selfReviewSeason(ctx.app, ctx.now);
  const window = selfReviewWindow(season.year, AWAY_PARAMS);
  if (!season.open) {
    await ctx.reply(ctx.t("away.reviewClosed", { opens: formatDate(window.opens) }));
    return;
  }
  await ctx.flow.start(SELF_REVIEW_FLOW, "waiting", {});
  await ctx.reply(ctx.t("away.reviewAsk", { year: season.year, due: formatDate(window.due) }));
}

export function selfReviewsFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command("tukiemdiem", async (ctx) => {
    const branchIds = [...new Set(ctx.actor.branchRoles.map((r) => r.branchId))];
    if (!isCommittee(ctx.actor) && branchIds.length === 0) return startOwnReview(ctx);
    if (isCommittee(ctx.actor)) {
      const counts = await committeeSelfReviewCounts(ctx.app, requestOf(ctx));
      if (!counts.ok) return refuse(ctx, counts);
      await replyInChunks(ctx, [
        ctx.t("away.reviewCounts", { year: counts.value.year }),
        ...counts.value.lines.map((l) =>
          ctx.t("away.reviewCountLine", { branch: l.branchName, submitted: l.submitted, members: l.members }),
        ),
      ]);
    }
    // Every branch the asker is secretary or deputy of (a committee member may be one too).
    for (const branchId of branchIds) await showBranch(ctx, branchId);
    // Officers and committee members are party members too: they send their own review from here.
    if (ctx.actor.member)
      await ctx.reply(ctx.t("away.reviewOwnHint"), {
        reply_markup: { inline_keyboard: [[{ text: ctx.t("away.reviewSendOwn"), callback_data: encode("rw") }]] },
      });
  });
  onAction(feature, "rw", startOwnReview);
  onFlowText(feature, SELF_REVIEW_FLOW, async (ctx, _state, text) => {
    const body = parseShortText(text, 1000);
    if (!body.ok) return refuse(ctx, body);
    await ctx.flow.clear();
    await acknowledge(ctx, { text: body.value, file: null });
  });

  onAction(feature, "rv", async (ctx, [reviewId]) => {
    const opened = await openSelfReview(ctx.app, requestOf(ctx), reviewId);
    if (!opened.ok) return refuse(ctx, opened);
    const { review, content } = opened.value;
    const markButton = [[{ text: ctx.t("away.reviewMark"), callback_data: encode("rm", review.id) }]];
    // Internal documents go to the asker's own private chat and nowhere else (the bot works in private chats only).
    const paperOn = paperReceivedOn(ctx.app, review);
    if (paperOn) {
      // A paper review has no text of its own: the day received, and the scan if one was kept.
      const params = { year: review.year, name: review.memberName, date: formatDate(paperOn) };
      if (review.file && content) {
        await ctx.replyWithDocument(
          { source: content, filename: review.file.fileName },
          { caption: ctx.t("away.reviewPaperCaption", params), reply_markup: { inline_keyboard: markButton } },
        );
      } else {
        await ctx.reply(ctx.t("away.reviewPaperNoScan", params), { reply_markup: { inline_keyboard: markButton } });
      }
      return;
    }
    if (review.file && content) {
      await ctx.replyWithDocument(
        { source: content, filename: review.file.fileName },
        {
          caption: ctx.t("away.reviewCaption", {
            year: review.year,
            name: review.memberName,
            version: review.version,
            checksum: review.file.sha256.slice(0, 12),
          }),
          reply_markup: { inline_keyboard: markButton },
        },
      );
    }
    if (review.text)
      await ctx.reply(
        ctx.t("away.reviewTextOnly", {
          year: review.year,
          name: review.memberName,
          version: review.version,
          text: review.text,
        }),
        { reply_markup: { inline_keyboard: markButton } },
      );
  });
  onAction(feature, "rm", async (ctx, [reviewId]) => {
    const opened = await openSelfReview(ctx.app, requestOf(ctx), reviewId);
    if (!opened.ok) return refuse(ctx, opened);
    await ctx.flow.start(COMMENT_FLOW, "comment", { reviewId, name: opened.value.review.memberName });
    await ctx.reply(ctx.t("away.reviewAskComment", { name: opened.value.review.memberName }));
  });
  onFlowText<{ reviewId: number; name?: string }>(feature, COMMENT_FLOW, async (ctx, state, text) => {
    const comment = parseShortText(text, 500);
    if (!comment.ok) return refuse(ctx, comment);
    const result = await markSelfReviewReviewed(
      ctx.app,
      savingRequest(ctx, state, ctx.t("away.reviewMarked", { name: state.data.name ?? "" })),
      state.data.reviewId,
      comment.value,
    );
    await ctx.flow.clear();
    if (!result.ok) return refuse(ctx, result);
    await ctx.reply(ctx.t("away.reviewMarked", { name: result.value.memberName }));
  });

  // Paper self-reviews: the members who have not sent one, the member chosen, the day received, a scan or Skip.
  onAction(feature, "rP", async (ctx, [branchId, page]) => {
    const list = await paperSelfReviewCandidates(ctx.app, requestOf(ctx), branchId, page);
    if (!list.ok) return refuse(ctx, list);
    const { items, pages, year } = list.value;
    if (items.length === 0) return respond(ctx, ctx.t("away.reviewPaperNoneMissing", { year }));
    const buttons = items.map((m) => ({ text: m.fullName, callback_data: encode("rp", m.memberId) }));
    await respond(
      ctx,
      ctx.t("away.reviewPaperChoose", { year }),
      pagedKeyboard(ctx.t, buttons, list.value.page, pages, (p) => encode("rP", branchId, p)),
    );
  });
  onAction(feature, "rp", async (ctx, [memberId]) => {
    const target = await preparePaperSelfReview(ctx.app, requestOf(ctx), memberId);
    if (!target.ok) return refuse(ctx, target);
    const state = await ctx.flow.start<PaperFlowData>(PAPER_SELF_REVIEW_FLOW, "date", {
      memberId,
      name: target.value.fullName,
      year: target.value.year,
    });
    await ctx.reply(
      ctx.t("away.reviewPaperAskDate", {
        year: target.value.year,
        name: target.value.fullName,
        example: formatDate(isoDateIn(ctx.now, ctx.app.timeZone)),
      }),
      {
        reply_markup: { inline_keyboard: [[{ text: ctx.t("common.cancel"), callback_data: encode("fn", state.id) }]] },
      },
    );
  });
  onFlowText<PaperFlowData>(feature, PAPER_SELF_REVIEW_FLOW, async (ctx, state, text) => {
    const skipOrCancel = [
      [
        { text: ctx.t("common.skip"), callback_data: encode("fs", state.id) },
        { text: ctx.t("common.cancel"), callback_data: encode("fn", state.id) },
      ],
    ];
    // Typing at the file step: the question again (a file or Skip is what it waits for).
    if (state.step !== "date")
      return ctx.reply(ctx.t("away.reviewPaperAskFile"), { reply_markup: { inline_keyboard: skipOrCancel } });
    const received = checkPaperReceivedDate(ctx.app, requestOf(ctx), text);
    if (!received.ok) return refuse(ctx, received);
    await ctx.flow.update({ ...state, step: "file", data: { ...state.data, receivedOn: received.value.receivedOn } });
    await ctx.reply(ctx.t("away.reviewPaperAskFile"), { reply_markup: { inline_keyboard: skipOrCancel } });
  });
  onFlowAction<"fs", PaperFlowData>(feature, "fs", PAPER_SELF_REVIEW_FLOW, async (ctx, state) => {
    if (state.step !== "file") return ctx.answerCbQuery(ctx.t("common.staleButton"));
    await savePaper(ctx, state, null);
  });
  return feature;
}

// /capnhat: a member away from home says where they are, what work, how to reach them (optionally with a photo
// or document); the branch's officers are told through the outbox, with a button that opens the attachment.
// For officers, /capnhat lists the branch's members away with their latest word; for the committee, the
// members away of every branch (filter by branch), those due for a check-in first. Attachments open in the
// asker's private chat.
import { Composer } from "telegraf";
import {
  awayBranchName,
  awayMembersOf,
  openCheckinFile,
  submitCheckin,
  type AwayMember,
  type CheckinNotice,
} from "../../app/checkins.js";
import type { Worded } from "../../app/notices.js";
import { parseShortText } from "../../domain/attendance.js";
import { DEFAULT_MAX_UPLOAD_BYTES } from "../../domain/file-types.js";
import { branchTitle } from "../../domain/branches.js";
import { parsePhone } from "../../domain/members.js";
import { isCommittee, managedBranchIds } from "../../domain/roles.js";
import { formatInstantDate } from "../../i18n/format.js";
import { translator } from "../../i18n/index.js";
import type { BotContext } from "../context.js";
import { requestOf, savingRequest } from "../context.js";
import { onAction } from "../actions.js";
import type { FlowState } from "../flow.js";
import { onFlowAction, onFlowText } from "../flow-handlers.js";
import { inRows } from "../keyboards/rows.js";
import { encode } from "../keyboards/callback-data.js";
import { refuse, respond, type Keyboard } from "../reply.js";
import { downloadTelegramFile, type FileReceiver } from "../telegram-files.js";
import { pageNavRow } from "../views/paging.js";

const FLOW = "checkin";
type Data = { place?: string; work?: string | null; phone?: string | null };
/** Members away shown per page of the list. */
const PAGE = 15;

/** An officer told of a member's check-in, in the officer's language: a file that came with it opens with a button. */
export function wordCheckinNotice({ recipient, memberName, input, checkinId, hasFile }: CheckinNotice): Worded {
  const t = translator(recipient.locale === "en" ? "en" : "vi");
  const text = t("away.checkinToSecretary", {
    name: memberName,
    place: input.place,
    work: input.work ? t("away.checkinWork", { work: input.work }) : "",
    phone: input.phone ? t("away.checkinPhone", { phone: input.phone }) : "",
    file: hasFile ? t("away.checkinFileNote") : "",
  });
  return { text, buttons: hasFile ? [[{ text: t("away.openFile"), callback_data: encode("wF", checkinId) }]] : [] };
}

/** Saves the check-in, with the file the member attached if any; the officers' notice is queued with it. */
async function saveCheckin(
  ctx: BotContext,
  state: FlowState<Data>,
  file: { content: Buffer; fileName: string } | null,
): Promise<void> {
  const result = await submitCheckin(
    ctx.app,
    savingRequest(ctx, state, ctx.t("away.checkinSaved")),
    { place: state.data.place!, work: state.data.work ?? null, phone: state.data.phone ?? null },
    file,
    wordCheckinNotice,
  );
  await ctx.flow.clear();
  if (!result.ok) return refuse(ctx, result);
  await ctx.reply(ctx.t("away.checkinSaved"));
}

/** A photo or document sent while the check-in waits for one: checked for size, then saved with it. */
export const receiveCheckinFile: FileReceiver = async (ctx, file) => {
  const checkin = await ctx.flow.current<Data>(FLOW);
  if (!checkin || checkin.step !== "file") return false;
  if (file.size > DEFAULT_MAX_UPLOAD_BYTES) {
    await refuse(ctx, { code: "FILE.TOO_LARGE" });
    return true;
  }
  const content = await downloadTelegramFile(ctx, file.fileId, DEFAULT_MAX_UPLOAD_BYTES);
  if (!content.ok) {
    await refuse(ctx, content.code === "IMPORT.FILE_TOO_LARGE" ? { code: "FILE.TOO_LARGE" } : content);
    return true;
  }
  await saveCheckin(ctx, checkin, { content: content.value, fileName: file.fileName });
  return true;
};

function awayLine(ctx: BotContext, m: AwayMember, withBranch: boolean): string {
  const last = m.lastCheckin;
  return ctx.t("away.awayLine", {
    name: m.fullName,
    branch: withBranch ? ctx.t("away.awayBranch", { branch: branchTitle(m.branchName) }) : "",
    place: last?.place ?? m.place ?? ctx.t("common.none"),
    last: last ? formatInstantDate(last.createdAt, ctx.app.timeZone) : ctx.t("away.awayNever"),
    work: last?.work ? ctx.t("away.checkinWork", { work: last.work }) : "",
    phone: last?.phone ? ctx.t("away.checkinPhone", { phone: last.phone }) : "",
    file: last?.fileName ? ctx.t("away.awayFile") : "",
    due: m.checkinDue ? ctx.t("away.awayDue") : "",
  });
}

/**
 * The members away of one branch (`branchId`), or of every branch for the committee (0), a page at a time;
 * a button per attachment, and for the committee a button per branch to filter by.
 */
async function showAway(ctx: BotContext, branchId: number, page: number): Promise<void> {
  const committeeView = isCommittee(ctx.actor);
  // The committee reads every branch once: the filter buttons name the branches that have members away.
  const list = await awayMembersOf(ctx.app, requestOf(ctx), committeeView ? null : branchId);
  if (!list.ok) return refuse(ctx, list);
  const members = branchId === 0 ? list.value : list.value.filter((m) => m.branchId === branchId);
  const pages = Math.max(1, Math.ceil(members.length / PAGE));
  const current = Math.min(Math.max(page, 0), pages - 1);
  const shown = members.slice(current * PAGE, (current + 1) * PAGE);
  // A branch with nobody away (or whose members came back since the filter was shown) is still named.
  let branchName = list.value.find((m) => m.branchId === branchId)?.branchName;
  if (branchId !== 0 && branchName === undefined) {
    const named = await awayBranchName(ctx.app, requestOf(ctx), branchId);
    if (!named.ok) return refuse(ctx, named);
    branchName = named.value;
  }
  const scope = branchId === 0 ? ctx.t("away.awayAllScope") : branchTitle(branchName ?? "");
  const due = members.filter((m) => m.checkinDue).length;
  const lines = [
    members.length === 0
      ? ctx.t("away.awayEmptyIn", { scope })
      : ctx.t("away.awayTitle", { scope, count: members.length, due }),
  ];
  lines.push(...shown.map((m) => awayLine(ctx, m, branchId === 0)));
  const rows: Keyboard = shown.flatMap((m) =>
    m.lastCheckin?.fileName
      ? [
          [
            {
              text: ctx.t("away.openFileOf", { name: m.fullName }).slice(0, 60),
              callback_data: encode("wF", m.lastCheckin.id),
            },
          ],
        ]
      : [],
  );
  if (pages > 1) rows.push(pageNavRow(ctx.t, current, pages, (p) => encode("wL", branchId, p)));
  if (committeeView) {
    const counts = new Map<number, { name: string; count: number }>();
    for (const m of list.value)
      counts.set(m.branchId, { name: m.branchName, count: (counts.get(m.branchId)?.count ?? 0) + 1 });
    const filters = [...counts.entries()]
      .filter(([id]) => id !== branchId)
      .map(([id, b]) => ({
        text: ctx.t("away.awayFilter", { branch: branchTitle(b.name), count: b.count }).slice(0, 60),
        callback_data: encode("wL", id, 0),
      }));
    if (branchId !== 0) filters.unshift({ text: ctx.t("away.awayAllBranches"), callback_data: encode("wL", 0, 0) });
    rows.push(...inRows(filters, 2));
  }
  await respond(ctx, lines.join("\n").slice(0, 4000), rows);
}

async function askFile(ctx: BotContext, state: FlowState<Data>, phone: string | null): Promise<void> {
  await ctx.flow.update({ ...state, step: "file", data: { ...state.data, phone } });
  await ctx.reply(ctx.t("away.checkinAskFile"), {
    reply_markup: { inline_keyboard: [[{ text: ctx.t("common.skip"), callback_data: encode("fs", state.id) }]] },
  });
}

export function checkinsFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command("capnhat", async (ctx) => {
    const scope = managedBranchIds(ctx.actor);
    if (scope === "all") return showAway(ctx, 0, 0);
    if (scope.length > 0 && scope[0] !== undefined) return showAway(ctx, scope[0], 0);
    if (!ctx.actor.member) return refuse(ctx, { code: "AUTH.FORBIDDEN" });
    const state = await ctx.flow.start<Data>(FLOW, "place", {});
    await ctx.reply(ctx.t("away.checkinAskPlace"), {
      reply_markup: { inline_keyboard: [[{ text: ctx.t("common.cancel"), callback_data: encode("fn", state.id) }]] },
    });
  });
  onFlowText<Data>(feature, FLOW, async (ctx, state, text) => {
    if (state.step === "place" || state.step === "work") {
      const value = parseShortText(text, 200);
      if (!value.ok) return refuse(ctx, value);
      if (state.step === "place") {
        await ctx.flow.update({ ...state, step: "work", data: { place: value.value } });
        return ctx.reply(ctx.t("away.checkinAskWork"), {
          reply_markup: { inline_keyboard: [[{ text: ctx.t("common.skip"), callback_data: encode("fs", state.id) }]] },
        });
      }
      await ctx.flow.update({ ...state, step: "phone", data: { ...state.data, work: value.value } });
      return ctx.reply(ctx.t("away.checkinAskPhone"), {
        reply_markup: { inline_keyboard: [[{ text: ctx.t("common.skip"), callback_data: encode("fs", state.id) }]] },
      });
    }
    if (state.step !== "phone") return;
    const phone = parsePhone(text);
    if (!phone.ok) return refuse(ctx, phone);
    await askFile(ctx, state, phone.value);
  });
  onFlowAction<"fs", Data>(feature, "fs", FLOW, async (ctx, state) => {
    if (state.step === "work") {
      await ctx.flow.update({ ...state, step: "phone", data: { ...state.data, work: null } });
      return ctx.reply(ctx.t("away.checkinAskPhone"), {
        reply_markup: { inline_keyboard: [[{ text: ctx.t("common.skip"), callback_data: encode("fs", state.id) }]] },
      });
    }
    if (state.step === "phone") return askFile(ctx, state, null);
    if (state.step === "file") return saveCheckin(ctx, state, null);
    await ctx.answerCbQuery(ctx.t("common.staleButton"));
  });
  onAction(feature, "wL", (ctx, [branchId, page]) => showAway(ctx, branchId, page));
  onAction(feature, "wF", async (ctx, [checkinId]) => {
    const file = await openCheckinFile(ctx.app, requestOf(ctx), checkinId);
    if (!file.ok) return refuse(ctx, file);
    // The answer to the press, in the asker's own private chat (the bot serves private chats only).
    await ctx.replyWithDocument(
      { source: file.value.content, filename: file.value.fileName },
      {
        caption: ctx.t("away.fileCaption", {
          name: file.value.memberName,
          date: formatInstantDate(file.value.createdAt, ctx.app.timeZone),
        }),
      },
    );
  });
  return feature;
}

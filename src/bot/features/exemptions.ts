// /xinmien: a member applies for exemption from party work and meetings, or the secretary records a
// paper application; the request then moves by buttons (forward, return, approve, reject, withdraw,
// end), each step telling the member, the branch's officers and, where it concerns them, the committee.
import { Composer } from "telegraf";
import type { InlineButton } from "../../notify/outbox.js";
import {
  actOnExemption,
  applyForExemption,
  AWAY_PARAMS,
  exemptionActionsFor,
  ownExemptions,
  pendingExemptions,
  viewExemption,
  type ExemptionWording,
} from "../../app/exemptions.js";
import { listMembers, viewMember } from "../../app/members.js";
import { parseShortText } from "../../domain/attendance.js";
import {
  checkExemptionEnd,
  checkExemptionStart,
  EXEMPTION_KINDS,
  latestExemptionEnd,
  type ExemptionAction,
  type ExemptionKind,
} from "../../domain/away.js";
import { checkPastDate, isoDateIn, parseTypedDate } from "../../domain/dates.js";
import { isCommittee, managedBranchIds } from "../../domain/roles.js";
import { branchTitle } from "../../domain/branches.js";
import type { ExemptionRecord } from "../../app/exemptions.js";
import { formatDate } from "../../i18n/format.js";
import { translator, type Translate } from "../../i18n/index.js";
import type { BotContext } from "../context.js";
import { requestOf, savingRequest } from "../context.js";
import { onAction } from "../actions.js";
import type { FlowState } from "../flow.js";
import { onFlowAction, onFlowText } from "../flow-handlers.js";
import { encode } from "../keyboards/callback-data.js";
import { refuse, respond, type Keyboard } from "../reply.js";
import { pagedKeyboard } from "../views/paging.js";

const APPLY = "exemption.apply";
const NOTE = "exemption.note";

interface ApplyData {
  memberId: number;
  name: string;
  paper: boolean;
  kind?: ExemptionKind;
  reason?: string;
  from?: string;
  to?: string;
  place?: string | null;
  paperNumber?: string | null;
}

function summary(
  t: Translate,
  r: Pick<ExemptionRecord, "memberName" | "kind" | "fromDate" | "toDate" | "reason" | "place">,
): string {
  return t("away.summary", {
    name: r.memberName,
    kind: t(`away.kinds.${r.kind}`),
    from: formatDate(r.fromDate),
    to: formatDate(r.toDate),
    reason: r.reason,
    place: r.place ? t("away.summaryPlace", { place: r.place }) : "",
  });
}

/** What an officer who recorded someone else's paper application is told. */
function paperRecordedText(
  ctx: BotContext,
  r: Pick<ExemptionRecord, "memberName" | "kind" | "fromDate" | "toDate">,
  paperNumber: string | null | undefined,
): string {
  return ctx.t("away.paperRecorded", {
    name: r.memberName,
    kind: ctx.t(`away.kinds.${r.kind}`),
    from: formatDate(r.fromDate),
    to: formatDate(r.toDate),
    paper: paperNumber ? ctx.t("away.paperNumber", { number: paperNumber }) : "",
  });
}

function actionButtons(ctx: BotContext, record: ExemptionRecord): Keyboard {
  return exemptionActionsFor(requestOf(ctx), record).map((action) => [
    { text: ctx.t(`away.actions.${action}`), callback_data: encode("xA", record.id, action) },
  ]);
}

/**
 * How a notice about a request reads for each recipient, in their own language: the member sees the new
 * state; officers and the committee also get the buttons they may press. `kind` says whether the request is
 * new or moved on, with the note given (a return's or a refusal's reason).
 */
export function exemptionWording(kind: "new" | "moved", note: string | null): ExemptionWording {
  return (notice, recipient, audience) => {
    const r = notice.request;
    const t = translator(recipient.locale === "en" ? "en" : "vi");
    const dates = { from: formatDate(r.fromDate), to: formatDate(r.toDate) };
    // A resubmission is the member's own flow, never a button on a notice.
    const buttons = (actions: readonly Exclude<ExemptionAction, "RESUBMIT">[]): InlineButton[][] =>
      actions.map((a) => [{ text: t(`away.actions.${a}`), callback_data: encode("xA", r.id, a) }]);
    const stateText = t("away.notice", {
      name: r.memberName,
      ...dates,
      state: t(`away.states.${r.state}`),
      note: note ? t("away.noticeNote", { note }) : "",
    });
    // The member reads of their own request, addressed to them (not by their name, as officers do).
    if (audience === "member")
      return {
        text: t("away.noticeToMember", {
          ...dates,
          state: t(`away.states.${r.state}`),
          note: note ? t("away.noticeNote", { note }) : "",
        }),
      };
    if (audience === "officer") {
      const text =
        kind === "new"
          ? t("away.newForBranch", {
              name: r.memberName,
              kind: t(`away.kinds.${r.kind}`),
              ...dates,
              reason: r.reason,
            })
          : stateText;
      return {
        text,
        buttons:
          r.state === "SUBMITTED"
            ? buttons(r.kind === "ILLNESS" || r.kind === "AGE" ? ["APPROVE", "REJECT"] : ["FORWARD", "RETURN"])
            : [],
      };
    }
    const params = {
      branch: branchTitle(notice.branchName),
      name: r.memberName,
      kind: t(`away.kinds.${r.kind}`),
      ...dates,
      reason: r.reason,
      state: t(`away.states.${r.state}`),
    };
    return {
      text: r.state === "FORWARDED" ? t("away.forCommittee", params) : t("away.branchDecided", params),
      buttons: r.state === "FORWARDED" ? buttons(["APPROVE", "REJECT", "RETURN"]) : [],
    };
  };
}

async function startApplication(ctx: BotContext, memberId: number, name: string, paper: boolean): Promise<void> {
  const state = await ctx.flow.start<ApplyData>(APPLY, "kind", { memberId, name, paper });
  const rows: Keyboard = EXEMPTION_KINDS.map((kind) => [
    { text: ctx.t(`away.kinds.${kind}`), callback_data: encode("xE", state.id, kind) },
  ]);
  rows.push([{ text: ctx.t("common.cancel"), callback_data: encode("fn", state.id) }]);
  await respond(ctx, paper ? ctx.t("away.applyFor", { name }) : ctx.t("away.applyKind"), rows);
}

async function showOwn(ctx: BotContext): Promise<void> {
  const own = await ownExemptions(ctx.app, requestOf(ctx));
  if (!own.ok) return refuse(ctx, own);
  const live = own.value.filter((r) => ["SUBMITTED", "FORWARDED", "RETURNED", "APPROVED"].includes(r.state));
  if (live.length === 0) return startApplication(ctx, ctx.actor.member!.id, ctx.actor.member!.fullName, false);
  for (const record of live) {
    await ctx.reply(
      `${summary(ctx.t, record)}\n${ctx.t("away.summaryState", { state: ctx.t(`away.states.${record.state}`) })}`,
      { reply_markup: { inline_keyboard: actionButtons(ctx, record) } },
    );
  }
  await ctx.reply(ctx.t("away.newRequest"), {
    reply_markup: { inline_keyboard: [[{ text: ctx.t("away.newRequest"), callback_data: encode("xN") }]] },
  });
}

async function showPending(ctx: BotContext, branchId: number | null): Promise<void> {
  const pending = await pendingExemptions(ctx.app, requestOf(ctx), branchId);
  if (!pending.ok) return refuse(ctx, pending);
  if (pending.value.length === 0) await ctx.reply(ctx.t("away.pendingEmpty"));
  else await ctx.reply(ctx.t("away.pendingTitle"));
  for (const record of pending.value) {
    await ctx.reply(
      `${summary(ctx.t, record)}\n${ctx.t("away.summaryState", { state: ctx.t(`away.states.${record.state}`) })}`,
      { reply_markup: { inline_keyboard: actionButtons(ctx, record) } },
    );
  }
  if (branchId !== null)
    await ctx.reply(ctx.t("away.recordPaper"), {
      reply_markup: {
        inline_keyboard: [[{ text: ctx.t("away.recordPaper"), callback_data: encode("xP", branchId, 0) }]],
      },
    });
}

/** Someone acted first (or the request moved on): the request as it now stands, where the officer pressed. */
async function showMoved(ctx: BotContext, record: ExemptionRecord): Promise<void> {
  const text = `${ctx.t("away.alreadyMoved")}\n${summary(ctx.t, record)}\n${ctx.t("away.summaryState", { state: ctx.t(`away.states.${record.state}`) })}`;
  if (ctx.callbackQuery) await ctx.answerCbQuery(ctx.t("away.alreadyMoved").slice(0, 190));
  await respond(ctx, text, actionButtons(ctx, record));
}

async function act(ctx: BotContext, id: number, action: ExemptionAction, note: string | null): Promise<void> {
  const result = await actOnExemption(ctx.app, requestOf(ctx), id, action, note, exemptionWording("moved", note));
  if (!result.ok && result.code === "EXEMPTION.NOT_ALLOWED") {
    const now = await viewExemption(ctx.app, requestOf(ctx), id);
    if (now.ok) return showMoved(ctx, now.value);
  }
  if (!result.ok) return refuse(ctx, result);
  const r = result.value.request;
  await ctx.reply(
    ctx.t("away.notice", {
      name: r.memberName,
      from: formatDate(r.fromDate),
      to: formatDate(r.toDate),
      state: ctx.t(`away.states.${r.state}`),
      note: note ? ctx.t("away.noticeNote", { note }) : "",
    }),
  );
}

export function exemptionsFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command("xinmien", async (ctx) => {
    const scope = managedBranchIds(ctx.actor);
    if (isCommittee(ctx.actor)) return showPending(ctx, null);
    if (scope !== "all" && scope.length > 0 && scope[0] !== undefined) return showPending(ctx, scope[0]);
    if (!ctx.actor.member) return refuse(ctx, { code: "AUTH.FORBIDDEN" });
    await showOwn(ctx);
  });
  onAction(feature, "xN", async (ctx) => {
    if (!ctx.actor.member) return refuse(ctx, { code: "AUTH.FORBIDDEN" });
    await startApplication(ctx, ctx.actor.member.id, ctx.actor.member.fullName, false);
  });
  onAction(feature, "xP", async (ctx, [branchId, page]) => {
    const members = await listMembers(ctx.app, requestOf(ctx), branchId, page);
    if (!members.ok) return refuse(ctx, members);
    const buttons = members.value.items.map((m) => ({ text: m.fullName, callback_data: encode("xp", m.id) }));
    await respond(
      ctx,
      ctx.t("away.chooseMember"),
      pagedKeyboard(ctx.t, buttons, members.value.page, members.value.pages, (p) => encode("xP", branchId, p)),
    );
  });
  onAction(feature, "xp", async (ctx, [memberId]) => {
    const member = await viewMember(ctx.app, requestOf(ctx), memberId);
    if (!member.ok || !member.value.canManage) return refuse(ctx, member.ok ? { code: "AUTH.FORBIDDEN" } : member);
    await startApplication(ctx, memberId, member.value.fullName, true);
  });

  onFlowAction<"xE", ApplyData>(feature, "xE", APPLY, async (ctx, state, [, kind]) => {
    if (state.step !== "kind") return ctx.answerCbQuery(ctx.t("common.staleButton"));
    await ctx.flow.update({ ...state, step: "reason", data: { ...state.data, kind } });
    await ctx.reply(ctx.t("away.askReason"));
  });
  const askConfirm = async (ctx: BotContext, state: FlowState<ApplyData>) => {
    await ctx.flow.update({ ...state, step: "confirm" });
    const d = state.data;
    const text = summary(ctx.t, {
      memberName: d.name,
      kind: d.kind!,
      fromDate: d.from!,
      toDate: d.to!,
      reason: d.reason!,
      place: d.place ?? null,
    });
    await ctx.reply(ctx.t("away.confirm", { summary: text }), {
      reply_markup: {
        inline_keyboard: [
          [
            { text: ctx.t("common.confirm"), callback_data: encode("fy", state.id) },
            { text: ctx.t("common.cancel"), callback_data: encode("fn", state.id) },
          ],
        ],
      },
    });
  };
  const afterPlace = async (ctx: BotContext, state: FlowState<ApplyData>, place: string | null) => {
    const next = { ...state, data: { ...state.data, place } };
    if (!state.data.paper) return askConfirm(ctx, next);
    await ctx.flow.update({ ...next, step: "paperNumber" });
    await ctx.reply(ctx.t("away.askPaperNumber"), {
      reply_markup: { inline_keyboard: [[{ text: ctx.t("common.skip"), callback_data: encode("fs", state.id) }]] },
    });
  };
  onFlowText<ApplyData>(feature, APPLY, async (ctx, state, text) => {
    switch (state.step) {
      case "reason": {
        const reason = parseShortText(text, 500);
        if (!reason.ok) return refuse(ctx, reason);
        await ctx.flow.update({ ...state, step: "from", data: { ...state.data, reason: reason.value } });
        return ctx.reply(ctx.t("away.askFrom"));
      }
      case "from":
      case "to":
      case "paperDate": {
        const date = parseTypedDate(text);
        if (!date.ok) return refuse(ctx, { code: date.problem });
        // Each date is checked as soon as it is typed, and a refusal names the limit.
        const today = isoDateIn(ctx.now, ctx.app.timeZone);
        if (state.step === "from") {
          const start = checkExemptionStart(date.date, today, AWAY_PARAMS);
          if (!start.ok) return refuse(ctx, start);
          await ctx.flow.update({ ...state, step: "to", data: { ...state.data, from: date.date } });
          return ctx.reply(
            ctx.t("away.askTo", {
              months: AWAY_PARAMS.maxExemptionMonths,
              latest: formatDate(latestExemptionEnd(date.date, AWAY_PARAMS)),
            }),
          );
        }
        if (state.step === "to") {
          const end = checkExemptionEnd(state.data.from!, date.date, AWAY_PARAMS);
          if (!end.ok) return refuse(ctx, end);
          await ctx.flow.update({ ...state, step: "place", data: { ...state.data, to: date.date } });
          return ctx.reply(ctx.t("away.askPlace"), {
            reply_markup: {
              inline_keyboard: [[{ text: ctx.t("common.skip"), callback_data: encode("fs", state.id) }]],
            },
          });
        }
        const received = checkPastDate(date.date, today);
        if (!received.ok) return refuse(ctx, { code: received.problem });
        return save(ctx, state, date.date);
      }
      case "place": {
        const place = parseShortText(text, 200);
        if (!place.ok) return refuse(ctx, place);
        return afterPlace(ctx, state, place.value);
      }
      case "paperNumber": {
        await ctx.flow.update({
          ...state,
          step: "paperDate",
          data: { ...state.data, paperNumber: text.trim().slice(0, 40) },
        });
        return ctx.reply(ctx.t("away.askPaperDate"));
      }
    }
  });
  onFlowAction<"fs", ApplyData>(feature, "fs", APPLY, async (ctx, state) => {
    if (state.step === "place") return afterPlace(ctx, state, null);
    if (state.step === "paperNumber") {
      await ctx.flow.update({ ...state, step: "paperDate", data: { ...state.data, paperNumber: null } });
      return ctx.reply(ctx.t("away.askPaperDate"));
    }
    await ctx.answerCbQuery(ctx.t("common.staleButton"));
  });
  const save = async (ctx: BotContext, state: FlowState<ApplyData>, paperDate: string | null) => {
    const d = state.data;
    const application = {
      memberName: d.name,
      kind: d.kind!,
      fromDate: d.from!,
      toDate: d.to!,
      reason: d.reason!,
      place: d.place ?? null,
    };
    // What a repeated press is answered with: for an officer's paper record, the officer's own wording.
    const saved = d.paper
      ? paperRecordedText(ctx, application, d.paperNumber)
      : `${ctx.t("away.submitted")}\n${summary(ctx.t, application)}`;
    const result = await applyForExemption(
      ctx.app,
      savingRequest(ctx, state, saved),
      {
        memberId: d.memberId,
        kind: d.kind!,
        reason: d.reason!,
        from: d.from!,
        to: d.to!,
        place: d.place ?? null,
        paper: d.paper && paperDate ? { number: d.paperNumber ?? "", date: paperDate } : null,
      },
      exemptionWording("new", null),
    );
    if (!result.ok) {
      await refuse(ctx, result);
      // A period problem is fixed by typing the dates again; nothing else typed is lost.
      if (
        ["EXEMPTION.RANGE_REVERSED", "EXEMPTION.TOO_LONG", "EXEMPTION.TOO_OLD", "EXEMPTION.OVERLAP"].includes(
          result.code,
        )
      ) {
        await ctx.flow.update({ ...state, step: "from" });
        await ctx.reply(ctx.t("away.askFrom"));
      } else await ctx.flow.clear();
      return;
    }
    await ctx.flow.clear();
    const r = result.value.request;
    if (d.paper) {
      // Written for the officer who recorded someone else's paper application, with what they can do next.
      await ctx.reply(paperRecordedText(ctx, r, d.paperNumber), {
        reply_markup: { inline_keyboard: actionButtons(ctx, r) },
      });
    } else await ctx.reply(ctx.t("away.submitted"));
  };
  onFlowAction<"fy", ApplyData>(feature, "fy", APPLY, async (ctx, state) => {
    if (state.step !== "confirm") return ctx.answerCbQuery(ctx.t("common.staleButton"));
    await save(ctx, state, null);
  });

  onAction(feature, "xA", async (ctx, [id, action]) => {
    if (action === "RETURN" || action === "REJECT") {
      // A return or a refusal carries its reason: ask for it, then act — unless the request has moved on
      // meanwhile (another officer decided it), which is shown instead of asking a reason in vain.
      const now = await viewExemption(ctx.app, requestOf(ctx), id);
      if (!now.ok) return refuse(ctx, now);
      if (!(exemptionActionsFor(requestOf(ctx), now.value) as readonly string[]).includes(action))
        return showMoved(ctx, now.value);
      await ctx.flow.start(NOTE, "note", { id, action });
      return ctx.reply(ctx.t("away.askNote"));
    }
    await act(ctx, id, action, null);
  });
  onFlowText<{ id: number; action: ExemptionAction }>(feature, NOTE, async (ctx, state, text) => {
    const note = parseShortText(text, 300);
    if (!note.ok) return refuse(ctx, note);
    await ctx.flow.clear();
    await act(ctx, state.data.id, state.data.action, note.value);
  });
  return feature;
}

// /chuyencan: a branch's attendance for a year (per member and per meeting); /cuatoi: one's own.
import { Composer } from "telegraf";
import { listBranches } from "../../app/branches.js";
import { branchAttendanceYear, ownAttendanceYear } from "../../app/attendance-queries.js";
import { isoDateIn } from "../../domain/dates.js";
import { managedBranchIds } from "../../domain/roles.js";
import { formatDate, formatPercent } from "../../i18n/format.js";
import { memberDuesYear } from "../../app/dues-status.js";
import { duesYearText } from "../views/dues-year.js";
import type { BotContext } from "../context.js";
import { requestOf } from "../context.js";
import { onAction } from "../actions.js";
import { encode } from "../keyboards/callback-data.js";
import { refuse, replyInChunks } from "../reply.js";
import { pagedKeyboard } from "../views/paging.js";

async function showBranchYear(ctx: BotContext, branchId: number, year: number): Promise<void> {
  const result = await branchAttendanceYear(ctx.app, requestOf(ctx), branchId, year);
  if (!result.ok) return refuse(ctx, result);
  const { branchName, members, meetings } = result.value;
  const memberLines = members.map((m) =>
    ctx.t("attendance.memberLine", {
      name: m.fullName,
      expected: m.expected,
      present: m.present,
      excused: m.excused,
      unexcused: m.unexcused,
      months:
        m.unexcusedMonths.length > 0 ? ctx.t("attendance.monthsSuffix", { months: m.unexcusedMonths.join(", ") }) : "",
    }),
  );
  await replyInChunks(ctx, [ctx.t("attendance.membersTitle", { year, branch: branchName }), ...memberLines]);
  const monthLines = Array.from({ length: 12 }, (_, i) => i + 1).map((month) => {
    const held = meetings.filter((m) => Number(m.date.slice(5, 7)) === month);
    if (held.length === 0) return ctx.t("attendance.monthNone", { month });
    const items = held.map((m) =>
      ctx.t("attendance.meetingItem", {
        date: formatDate(m.date).slice(0, 5),
        kind: ctx.t(`meetings.kinds.${m.kind}`),
        rate: m.rate === null ? "—" : formatPercent(m.rate, ctx.locale),
      }),
    );
    return ctx.t("attendance.monthLine", { month, meetings: items.join("; ") });
  });
  await replyInChunks(ctx, [ctx.t("attendance.meetingsTitle", { year }), ...monthLines], {
    reply_markup: {
      inline_keyboard: [
        [
          {
            text: ctx.t("attendance.previousYear", { year: year - 1 }),
            callback_data: encode("cy", branchId, year - 1),
          },
        ],
      ],
    },
  });
}

export async function showAttendanceEntry(ctx: BotContext): Promise<void> {
  const year = Number(isoDateIn(ctx.now, ctx.app.timeZone).slice(0, 4));
  const scope = managedBranchIds(ctx.actor);
  if (scope !== "all" && scope.length === 0) return showOwnYear(ctx);
  if (scope !== "all" && scope.length === 1 && scope[0] !== undefined) return showBranchYear(ctx, scope[0], year);
  const branches = await listBranches(ctx.app, requestOf(ctx), 0);
  if (!branches.ok) return refuse(ctx, branches);
  const buttons = branches.value.items.map((b) => ({ text: b.name, callback_data: encode("cy", b.id, year) }));
  await ctx.reply(ctx.t("attendance.chooseBranch"), {
    reply_markup: {
      inline_keyboard: pagedKeyboard(ctx.t, buttons, branches.value.page, branches.value.pages, (p) => encode("bl", p)),
    },
  });
}

export async function showOwnYear(ctx: BotContext): Promise<void> {
  const result = await ownAttendanceYear(ctx.app, requestOf(ctx));
  if (!result.ok) return void (await ctx.reply(ctx.t("attendance.notMember")));
  const { fullName, year, figures, absences } = result.value;
  const lines = [
    ctx.t("attendance.ownTitle", {
      year,
      name: fullName,
      expected: figures.expected,
      present: figures.present,
      excused: figures.excused,
      unexcused: figures.unexcused,
    }),
  ];
  if (figures.unexcusedMonths.length > 0)
    lines.push(ctx.t("attendance.ownMonths", { months: figures.unexcusedMonths.join(", ") }));
  for (const absence of absences) {
    const status = ctx.t(`attendance.statuses.${absence.status}`);
    lines.push(
      ctx.t("attendance.ownAbsence", {
        date: formatDate(absence.date),
        kind: ctx.t(`meetings.kinds.${absence.kind}`),
        status: absence.reason ? `${status} (${absence.reason})` : status,
      }),
    );
  }
  // The member's own dues for the year follow their attendance: /cuatoi is "my record".
  const dues = ctx.actor.member ? await memberDuesYear(ctx.app, requestOf(ctx), ctx.actor.member.id) : null;
  if (dues?.ok) lines.push("", duesYearText(ctx, dues.value));
  await replyInChunks(ctx, lines);
}

export function attendanceStatsFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command("chuyencan", (ctx) => showAttendanceEntry(ctx));
  feature.command("cuatoi", (ctx) => showOwnYear(ctx));
  onAction(feature, "cy", (ctx, [branchId, year]) => showBranchYear(ctx, branchId, year));
  return feature;
}

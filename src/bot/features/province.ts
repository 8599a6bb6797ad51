// The province's chat (Ban Tổ chức Tỉnh ủy, Ủy ban Kiểm tra Tỉnh ủy, the deployment's admins): /baocao over
// every commune — kind of period → period → one line per commune and the province's totals, with a button
// per commune for its branches (read-only: nothing is numbered, written or audited); and the admins' /xa —
// the communes, adding one (name, place, its first admin's name → the invitation to hand over), a new link
// for a commune still without an admin, invitations for the province's officers, and the province's officers
// (who holds a province role, which invitations are pending) with a confirmed removal or revocation of each.
import { Composer } from "telegraf";
import { createInvitation, type CreatedInvitation } from "../../app/invitations.js";
import {
  checkCommunePlace,
  checkNewCommuneName,
  communeReport,
  communeWithoutAdmin,
  createCommune,
  inviteCommuneAdmin,
  listCommunes,
  provinceReport,
  provinceReportPeriods,
} from "../../app/province.js";
import {
  listProvinceOfficers,
  provinceInvitation,
  provinceRoleToRemove,
  removeProvinceRole,
  revokeProvinceInvitation,
} from "../../app/province-officers.js";
import { deepLink } from "../../domain/invitations.js";
import {
  canAdministerProvince,
  isProvince,
  isProvinceRole,
  PROVINCE_ROLES,
  type ProvinceRole,
} from "../../domain/roles.js";
import type { ReportLine } from "../../domain/report.js";
import { REPORT_PERIOD_KINDS } from "../../domain/report-periods.js";
import { periodLabel, summaryXlsx } from "../../files/report-xlsx.js";
import {
  formatClock,
  formatDate,
  formatInstant,
  formatInstantDate,
  formatMoney,
  formatPercent,
} from "../../i18n/format.js";
import { onAction } from "../actions.js";
import { requestOf, savingRequest, type BotContext } from "../context.js";
import { onFlowText } from "../flow-handlers.js";
import { encode } from "../keyboards/callback-data.js";
import { inRows } from "../keyboards/rows.js";
import { refuse, replyInChunks } from "../reply.js";

/** The figures of one line (a commune, a branch or a total), as the province reads them. */
function figures(ctx: BotContext, line: ReportLine): Record<string, string | number> {
  const rate = (value: number | null) => (value === null ? ctx.t("reports.noRate") : formatPercent(value, ctx.locale));
  return {
    members: line.members,
    regular: line.regularMeetings,
    thematic: line.thematicMeetings,
    attendance: rate(line.attendanceRate),
    unexcused: line.unexcused,
    collected: formatMoney(line.duesCollected),
    expected: formatMoney(line.duesExpected),
    duesRate: rate(line.duesRate),
    alertsOpened: line.alertsOpened,
    alertsHandled: line.alertsHandled,
  };
}

/** The province's /baocao: the kinds of period. */
export async function showProvinceReportEntry(ctx: BotContext): Promise<void> {
  const buttons = REPORT_PERIOD_KINDS.map((kind) => ({
    text: ctx.t(`reports.kinds.${kind}`),
    callback_data: encode("pvk", kind),
  }));
  await ctx.reply(ctx.t("province.reportChooseKind"), { reply_markup: { inline_keyboard: inRows(buttons, 3) } });
}

/** /xa: the communes with their counts and whether each has an admin; adding one; the officers' invitations. */
export async function showCommunes(ctx: BotContext): Promise<void> {
  const result = await listCommunes(ctx.app, requestOf(ctx));
  if (!result.ok) return refuse(ctx, result);
  const lines = [ctx.t("province.communesTitle", { count: result.value.length })];
  if (result.value.length === 0) lines.push(ctx.t("province.noCommunes"));
  for (const commune of result.value)
    lines.push(
      // A one-commune install that grew into a province may have no place name (COMMITTEE_PLACE unset).
      ctx.t(commune.placeName ? "province.communeItem" : "province.communeItemWithoutPlace", {
        name: commune.name,
        place: commune.placeName,
        branches: commune.branches,
        members: commune.members,
        admin: ctx.t(commune.hasAdmin ? "province.hasAdmin" : "province.noAdmin"),
      }),
    );
  const rows: Rows = [[{ text: ctx.t("province.addCommune"), callback_data: encode("pvn") }]];
  for (const commune of result.value.filter((c) => !c.hasAdmin))
    rows.push([
      {
        text: ctx.t("province.inviteAdmin", { name: commune.name }).slice(0, 60),
        callback_data: encode("pvi", commune.id),
      },
    ]);
  rows.push([{ text: ctx.t("province.inviteOfficer"), callback_data: encode("pvo") }]);
  rows.push([{ text: ctx.t("province.officers"), callback_data: encode("pvl") }]);
  await replyWithButtons(ctx, lines, rows);
}

/** A role's name as the officers list shows it (only a province role is ever listed there). */
function provinceRoleName(ctx: BotContext, role: string): string {
  return isProvinceRole(role) ? ctx.t(`roles.${role}`) : role;
}

/** The province's officers: who holds a role (a button to remove each), the pending invitations (to revoke). */
async function showOfficers(ctx: BotContext): Promise<void> {
  const result = await listProvinceOfficers(ctx.app, requestOf(ctx));
  if (!result.ok) return refuse(ctx, result);
  const { officers, configuredAdmins, invitations } = result.value;
  const zone = ctx.app.timeZone;
  const lines = [ctx.t("province.officersTitle", { count: officers.length + configuredAdmins.length })];
  for (const admin of configuredAdmins)
    lines.push(
      ctx.t("province.configuredAdminItem", {
        name: admin.name ?? ctx.t("province.configuredAdminUnknown"),
        role: ctx.t("roles.PROVINCE_ADMIN"),
      }),
    );
  for (const officer of officers)
    lines.push(ctx.t("province.officerItem", { name: officer.name, role: provinceRoleName(ctx, officer.role) }));
  if (officers.length + configuredAdmins.length === 0) lines.push(ctx.t("province.noOfficers"));
  lines.push(
    "",
    invitations.length > 0
      ? ctx.t("province.pendingTitle", { count: invitations.length })
      : ctx.t("province.noPending"),
  );
  for (const inv of invitations)
    lines.push(
      ctx.t("province.pendingItem", {
        label: inv.label,
        role: ctx.t(`roles.${inv.role}`),
        expires: `${formatInstantDate(inv.expiresAt, zone)} ${formatClock(inv.expiresAt, zone)}`,
      }),
    );
  const rows: Rows = [
    ...officers.map((officer) => [
      {
        text: ctx.t("province.removeOfficer", { name: officer.name }).slice(0, 60),
        callback_data: encode("pvq", "r", officer.id),
      },
    ]),
    ...invitations.map((inv) => [
      {
        text: ctx.t("province.revokeInvitation", { label: inv.label }).slice(0, 60),
        callback_data: encode("pvq", "i", inv.id),
      },
    ]),
  ];
  await replyWithButtons(ctx, lines, rows);
}

/** The question before a removal or revocation, with its confirmation and a way back to the list. */
async function askOfficerChange(ctx: BotContext, kind: "r" | "i", id: number): Promise<void> {
  let question: string;
  if (kind === "r") {
    const role = await provinceRoleToRemove(ctx.app, requestOf(ctx), id);
    if (!role.ok) return refuse(ctx, role);
    question = ctx.t("province.confirmRemove", { name: role.value.name, role: provinceRoleName(ctx, role.value.role) });
  } else {
    const inv = await provinceInvitation(ctx.app, requestOf(ctx), id);
    if (!inv.ok) return refuse(ctx, inv);
    question = ctx.t("province.confirmRevoke", { label: inv.value.label, role: ctx.t(`roles.${inv.value.role}`) });
  }
  await ctx.reply(question, {
    reply_markup: {
      inline_keyboard: [
        [
          { text: ctx.t("common.confirm"), callback_data: encode("pvx", kind, id) },
          { text: ctx.t("common.back"), callback_data: encode("pvl") },
        ],
      ],
    },
  });
}

async function doOfficerChange(ctx: BotContext, kind: "r" | "i", id: number): Promise<void> {
  if (kind === "r") {
    const result = await removeProvinceRole(ctx.app, requestOf(ctx), id);
    if (!result.ok) return refuse(ctx, result);
    await ctx.reply(
      ctx.t("province.removed", { name: result.value.name, role: provinceRoleName(ctx, result.value.role) }),
    );
  } else {
    const result = await revokeProvinceInvitation(ctx.app, requestOf(ctx), id);
    if (!result.ok) return refuse(ctx, result);
    await ctx.reply(
      ctx.t("province.revoked", { label: result.value.label, role: ctx.t(`roles.${result.value.role}`) }),
    );
  }
  await showOfficers(ctx);
}

type Rows = { text: string; callback_data: string }[][];
/** Telegram takes at most 100 buttons on a message: a province of a hundred communes and more needs several. */
const MAX_BUTTONS = 90;

/** Lines in as many messages as they need, the buttons under the last one and, past MAX_BUTTONS, under more. */
async function replyWithButtons(ctx: BotContext, lines: string[], rows: Rows): Promise<void> {
  const groups: Rows[] = [];
  let count = 0;
  for (const row of rows) {
    if (groups.length === 0 || count + row.length > MAX_BUTTONS) {
      groups.push([]);
      count = 0;
    }
    groups[groups.length - 1]!.push(row);
    count += row.length;
  }
  const [first = [], ...more] = groups;
  await replyInChunks(ctx, lines, { reply_markup: { inline_keyboard: first } });
  for (const group of more)
    await ctx.reply(ctx.t("province.moreButtons"), { reply_markup: { inline_keyboard: group } });
}

/** The link to hand over privately, as /moi shows its links: for whom, the role, the expiry. */
async function replyInvitation(ctx: BotContext, role: string, { code, invitation }: CreatedInvitation): Promise<void> {
  await ctx.reply(
    ctx.t("invite.created", {
      label: invitation.label,
      role,
      link: deepLink(ctx.botUsername, code),
      expires: formatInstant(invitation.expiresAt, ctx.app.timeZone),
    }),
  );
}

interface CommuneFlow {
  name?: string;
  place?: string;
}

/**
 * The province's feature. `showReports` is /baocao for a province officer: the province's report, and the
 * commune's or branch's too for one who also holds a role there (composed by create-bot.ts).
 */
export function provinceFeature(screens: { showReports: (ctx: BotContext) => Promise<void> }): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  feature.command("baocao", async (ctx, next) => (isProvince(ctx.actor) ? screens.showReports(ctx) : next()));

  onAction(feature, "pvk", async (ctx, [kind]) => {
    const choices = provinceReportPeriods(ctx.app, requestOf(ctx), kind);
    if (!choices.ok) return refuse(ctx, choices);
    const buttons = choices.value.map((period) => ({
      text: periodLabel(ctx.t, { period, partial: false, asOf: period.to }),
      callback_data: encode("pvp", period.key),
    }));
    await ctx.reply(ctx.t("reports.choosePeriod"), { reply_markup: { inline_keyboard: inRows(buttons, 2) } });
  });

  onAction(feature, "pvp", async (ctx, [key]) => {
    const result = await provinceReport(ctx.app, requestOf(ctx), key, ctx.t("province.total"));
    if (!result.ok) return refuse(ctx, result);
    await ctx.answerCbQuery().catch(() => undefined);
    const report = result.value;
    const { lines, totals } = report.figures;
    const text = [ctx.t("province.reportTitle", { period: periodLabel(ctx.t, report) }), ""];
    if (lines.length === 0) text.push(ctx.t("province.noCommunes"));
    for (const line of lines)
      text.push(
        ctx.t("province.communeLine", { name: line.branchName, branches: line.branches, ...figures(ctx, line) }),
      );
    text.push(
      "",
      ctx.t("province.totalLine", {
        communes: lines.length,
        branches: lines.reduce((sum, line) => sum + line.branches, 0),
        ...figures(ctx, totals),
      }),
    );
    if (report.partial) text.push("", ctx.t("reports.partialNote", { date: formatDate(report.asOf) }));
    if (lines.length > 0) text.push("", ctx.t("province.drillHint"));
    const buttons = lines.map((line) => ({
      text: line.branchName.slice(0, 60),
      callback_data: encode("pvc", line.committeeId, report.period.key),
    }));
    await replyWithButtons(ctx, text, inRows(buttons, 2));
    const xlsx = await summaryXlsx(
      {
        ...report,
        title: ctx.t("province.xlsxTitle"),
        nameHeading: ctx.t("province.xlsxCommune"),
        lines,
        totals,
      },
      ctx.t,
    );
    await ctx.replyWithDocument(
      { source: xlsx, filename: `${ctx.t("province.fileName", { key: report.period.key })}.xlsx` },
      { caption: ctx.t("province.fileCaption", { period: periodLabel(ctx.t, report) }) },
    );
  });

  onAction(feature, "pvc", async (ctx, [committeeId, key]) => {
    const result = await communeReport(ctx.app, requestOf(ctx), key, committeeId, ctx.t("province.communeTotal"));
    if (!result.ok) return refuse(ctx, result);
    await ctx.answerCbQuery().catch(() => undefined);
    const report = result.value;
    const { lines, totals } = report.figures;
    const text = [
      ctx.t("province.communeTitle", { name: report.committeeName, period: periodLabel(ctx.t, report) }),
      "",
    ];
    if (lines.length === 0) text.push(ctx.t("province.noBranches"));
    for (const line of lines) text.push(ctx.t("province.branchLine", { name: line.branchName, ...figures(ctx, line) }));
    text.push("", ctx.t("province.communeTotalLine", { branches: lines.length, ...figures(ctx, totals) }));
    if (report.partial) text.push("", ctx.t("reports.partialNote", { date: formatDate(report.asOf) }));
    await replyInChunks(ctx, text);
    const xlsx = await summaryXlsx(
      {
        ...report,
        title: ctx.t("province.xlsxCommuneTitle", { name: report.committeeName.toLocaleUpperCase("vi") }),
        nameHeading: ctx.t("reports.columns.branch"),
        lines,
        totals,
      },
      ctx.t,
    );
    await ctx.replyWithDocument(
      {
        source: xlsx,
        filename: `${ctx.t("province.communeFileName", { key: report.period.key, id: report.committeeId })}.xlsx`,
      },
      { caption: ctx.t("province.fileCaption", { period: periodLabel(ctx.t, report) }) },
    );
  });

  feature.command("xa", showCommunes);

  // Adding a commune: its name, its place name, its first admin's name; then the commune and the link at once.
  onAction(feature, "pvn", async (ctx) => {
    if (!canAdministerProvince(ctx.actor)) return refuse(ctx, { code: "AUTH.FORBIDDEN" });
    await ctx.flow.start("province.commune", "name", {});
    await ctx.reply(ctx.t("province.askName"));
  });
  onFlowText<CommuneFlow>(feature, "province.commune", async (ctx, state, text) => {
    if (state.step === "name") {
      const name = await checkNewCommuneName(ctx.app, requestOf(ctx), text);
      if (!name.ok) return refuse(ctx, name);
      await ctx.flow.update({ ...state, step: "place", data: { name: name.value } });
      return ctx.reply(ctx.t("province.askPlace", { name: name.value }));
    }
    if (state.step === "place") {
      const place = checkCommunePlace(requestOf(ctx), text);
      if (!place.ok) return refuse(ctx, place);
      await ctx.flow.update({ ...state, step: "admin", data: { ...state.data, place: place.value } });
      return ctx.reply(ctx.t("province.askAdminName", { name: state.data.name ?? "" }));
    }
    const name = state.data.name ?? "";
    const summary = ctx.t("province.created", { name, place: state.data.place ?? "" });
    const result = await createCommune(ctx.app, savingRequest(ctx, state, summary), {
      name,
      place: state.data.place ?? "",
      adminName: text,
    });
    if (!result.ok) return refuse(ctx, result);
    await ctx.flow.clear();
    const { commune, invitation } = result.value;
    await ctx.reply(ctx.t("province.created", { name: commune.name, place: commune.placeName }));
    await replyInvitation(ctx, adminRole(ctx, commune.name), invitation);
  });

  // A new link for the first admin of a commune without one (the commune from the button: checked).
  onAction(feature, "pvi", async (ctx, [committeeId]) => {
    const commune = await communeWithoutAdmin(ctx.app, requestOf(ctx), committeeId);
    if (!commune.ok) return refuse(ctx, commune);
    await ctx.flow.start("province.admin", "name", { committeeId });
    await ctx.reply(ctx.t("province.askAdminName", { name: commune.value.name }));
  });
  onFlowText<{ committeeId: number }>(feature, "province.admin", async (ctx, state, text) => {
    const result = await inviteCommuneAdmin(
      ctx.app,
      savingRequest(ctx, state, ctx.t("province.invitedSummary", { name: text.slice(0, 80) })),
      state.data.committeeId,
      text,
    );
    if (!result.ok) return refuse(ctx, result);
    await ctx.flow.clear();
    await replyInvitation(ctx, adminRole(ctx, result.value.commune.name), result.value.invitation);
  });

  // The province's officers: the role, then the name; the link is accepted with /start like any other.
  onAction(feature, "pvo", async (ctx) => {
    if (!canAdministerProvince(ctx.actor)) return refuse(ctx, { code: "AUTH.FORBIDDEN" });
    const rows = PROVINCE_ROLES.map((role) => [{ text: ctx.t(`roles.${role}`), callback_data: encode("pvr", role) }]);
    await ctx.reply(ctx.t("province.chooseOfficerRole"), { reply_markup: { inline_keyboard: rows } });
  });
  onAction(feature, "pvr", async (ctx, [role]) => {
    if (!canAdministerProvince(ctx.actor)) return refuse(ctx, { code: "AUTH.FORBIDDEN" });
    await ctx.flow.start("province.officer", "name", { role });
    await ctx.reply(ctx.t("province.askOfficerName", { role: ctx.t(`roles.${role}`) }));
  });
  onFlowText<{ role: ProvinceRole }>(feature, "province.officer", async (ctx, state, text) => {
    const role = state.data.role;
    const result = await createInvitation(
      ctx.app,
      savingRequest(ctx, state, ctx.t("province.invitedSummary", { name: text.slice(0, 80) })),
      { role, memberId: null, label: text },
    );
    if (!result.ok) return refuse(ctx, result);
    await ctx.flow.clear();
    await replyInvitation(ctx, ctx.t(`roles.${role}`), result.value);
  });

  // The province's officers: the list, then a removal or revocation asked and confirmed (ids checked again).
  onAction(feature, "pvl", showOfficers);
  onAction(feature, "pvq", (ctx, [kind, id]) => askOfficerChange(ctx, kind, id));
  onAction(feature, "pvx", (ctx, [kind, id]) => doOfficerChange(ctx, kind, id));

  return feature;
}

function adminRole(ctx: BotContext, commune: string): string {
  return ctx.t("province.adminOf", { role: ctx.t("roles.COMMITTEE_ADMIN"), commune });
}

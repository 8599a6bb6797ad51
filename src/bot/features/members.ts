// /dangvien: the roster of a branch (paged), a member's card, taking a member off the roster,
// and unlinking a Telegram account (/huylienket for oneself).
import { Composer } from "telegraf";
import { listBranches } from "../../app/branches.js";
import { deactivateMember, listMembers, viewMember } from "../../app/members.js";
import { unlinkTelegram } from "../../app/invitations.js";
import { INACTIVE_STATES } from "../../domain/members.js";
import { audienceOf } from "../../domain/roles.js";
import type { BotContext } from "../context.js";
import { requestOf } from "../context.js";
import { onAction } from "../actions.js";
import { encode } from "../keyboards/callback-data.js";
import { refuse, respond, type Keyboard } from "../reply.js";
import { memberCardText } from "../views/member-card.js";
import { pagedKeyboard } from "../views/paging.js";

export async function showMembersEntry(ctx: BotContext): Promise<void> {
  const audience = audienceOf(ctx.actor);
  if (audience === "member" && ctx.actor.member) return showMemberCard(ctx, ctx.actor.member.id);
  const branches = await listBranches(ctx.app, requestOf(ctx), 0);
  if (!branches.ok) return refuse(ctx, branches);
  const managed = branches.value.items;
  if (audience === "secretary" && branches.value.total === 1 && managed[0]) return showMemberList(ctx, managed[0].id, 0);
  await respond(
    ctx,
    ctx.t("members.chooseBranch"),
    pagedKeyboard(ctx.t, managed.map((b) => ({ text: ctx.t("branches.itemLabel", { name: b.name, count: b.activeMembers }), callback_data: encode("ml", b.id, 0) })), branches.value.page, branches.value.pages, (p) => encode("bl", p)),
  );
}

export async function showMemberList(ctx: BotContext, branchId: number, page: number): Promise<void> {
  const result = await listMembers(ctx.app, requestOf(ctx), branchId, page);
  if (!result.ok) return refuse(ctx, result);
  const { items, pages, total, branchName } = result.value;
  const buttons = items.map((m) => ({
    text: `${m.linked ? `${ctx.t("members.linkedMark")} ` : ""}${m.fullName}${m.kind === "PROBATIONARY" ? ` (${ctx.t("kinds.PROBATIONARY")})` : ""}`,
    callback_data: encode("mv", m.id),
  }));
  const extra: Keyboard = [
    [
      { text: ctx.t("branches.addMember"), callback_data: encode("ma", branchId) },
      { text: ctx.t("branches.importButton"), callback_data: encode("mm", branchId) },
    ],
    [{ text: ctx.t("common.back"), callback_data: encode("bv", branchId) }],
  ];
  const title = total === 0 ? ctx.t("members.empty") : ctx.t("members.listTitle", { branch: branchName, total });
  await respond(ctx, title, pagedKeyboard(ctx.t, buttons, result.value.page, pages, (p) => encode("ml", branchId, p), extra));
}

export async function showMemberCard(ctx: BotContext, memberId: number): Promise<void> {
  const result = await viewMember(ctx.app, requestOf(ctx), memberId);
  if (!result.ok) return refuse(ctx, result);
  const member = result.value;
  const rows: Keyboard = [];
  const can = new Set(member.actions);
  const first: Keyboard[number] = [];
  if (can.has("edit")) first.push({ text: ctx.t("members.edit"), callback_data: encode("me", member.id) });
  if (can.has("offRoster")) first.push({ text: ctx.t("members.deactivate"), callback_data: encode("mx", member.id) });
  if (first.length > 0) rows.push(first);
  if (can.has("awayProfile")) rows.push([{ text: ctx.t("away.profileButton"), callback_data: encode("wP", member.id) }]);
  if (can.has("invite")) rows.push([{ text: ctx.t("members.invite"), callback_data: encode("mi", member.id, "MEMBER") }]);
  if (can.has("unlink")) rows.push([{ text: ctx.t("members.unlink"), callback_data: encode("mu", member.id) }]);
  if (member.canManage) rows.push([{ text: ctx.t("members.backToList"), callback_data: encode("ml", member.branchId, 0) }]);
  await respond(ctx, memberCardText(ctx.t, member), rows);
}

export function membersFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command("dangvien", (ctx) => showMembersEntry(ctx));
  onAction(feature, "ml", (ctx, [branchId, page]) => showMemberList(ctx, branchId, page));
  onAction(feature, "mv", (ctx, [memberId]) => showMemberCard(ctx, memberId));

  onAction(feature, "mx", async (ctx, [memberId]) => {
    const result = await viewMember(ctx.app, requestOf(ctx), memberId);
    if (!result.ok || !result.value.actions.includes("offRoster")) return refuse(ctx, result.ok ? { code: "AUTH.FORBIDDEN" } : result);
    const rows: Keyboard = INACTIVE_STATES.map((state) => [{ text: ctx.t(`states.${state}`), callback_data: encode("ms", memberId, state) }]);
    rows.push([{ text: ctx.t("common.back"), callback_data: encode("mv", memberId) }]);
    await respond(ctx, ctx.t("members.deactivateAsk", { name: result.value.fullName }), rows);
  });
  onAction(feature, "ms", async (ctx, [memberId, state]) => {
    const result = await deactivateMember(ctx.app, requestOf(ctx), memberId, state);
    if (!result.ok) return refuse(ctx, result);
    await respond(ctx, ctx.t("members.deactivated", { name: result.value.fullName, state: ctx.t(`states.${state}`) }), [
      [{ text: ctx.t("members.backToList"), callback_data: encode("ml", result.value.branchId, 0) }],
    ]);
  });

  onAction(feature, "mu", async (ctx, [memberId]) => {
    const result = await viewMember(ctx.app, requestOf(ctx), memberId);
    if (!result.ok || !result.value.actions.includes("unlink")) return refuse(ctx, result.ok ? { code: "AUTH.FORBIDDEN" } : result);
    await respond(ctx, ctx.t("members.unlinkAsk", { name: result.value.fullName }), [
      [
        { text: ctx.t("common.confirm"), callback_data: encode("mU", memberId) },
        { text: ctx.t("common.cancel"), callback_data: encode("mv", memberId) },
      ],
    ]);
  });
  onAction(feature, "mU", async (ctx, [memberId]) => {
    const result = await unlinkTelegram(ctx.app, requestOf(ctx), memberId);
    if (!result.ok) return refuse(ctx, result);
    await respond(ctx, ctx.t("members.unlinked", { name: result.value.memberName }));
  });

  feature.command("huylienket", async (ctx) => {
    const member = ctx.actor.member;
    if (!member) return ctx.reply(ctx.t("members.notLinkedSelf"));
    await ctx.reply(ctx.t("members.selfUnlinkAsk", { name: member.fullName }), {
      reply_markup: { inline_keyboard: [[{ text: ctx.t("common.confirm"), callback_data: encode("uy") }]] },
    });
  });
  onAction(feature, "uy", async (ctx) => {
    if (!ctx.actor.member) return refuse(ctx, { code: "LINK.NONE" });
    const result = await unlinkTelegram(ctx.app, requestOf(ctx), ctx.actor.member.id);
    if (!result.ok) return refuse(ctx, result);
    await respond(ctx, ctx.t("members.selfUnlinked"));
  });
  return feature;
}

// /moi: invitation links. Admins invite committee members; the committee invites branch secretaries
// and deputies; secretaries (and the committee) invite their branch's members. Pending links can be
// revoked.
import { Composer } from "telegraf";
import { listBranches } from "../../app/branches.js";
import {
  createInvitation,
  inviteNewMember,
  listPendingInvitations,
  revokeInvitation,
  type CreatedInvitation,
  type InvitationTarget,
} from "../../app/invitations.js";
import { listMembers } from "../../app/members.js";
import { deepLink } from "../../domain/invitations.js";
import { parseFullName } from "../../domain/members.js";
import {
  canAdministerCommune,
  canInvite,
  canInviteAnyone,
  COMMITTEE_ROLES,
  managedBranchIds,
  type CommitteeRole,
  type InvitationRole,
} from "../../domain/roles.js";
import { formatInstant } from "../../i18n/format.js";
import type { BotContext } from "../context.js";
import { requestOf, savingRequest } from "../context.js";
import { onAction } from "../actions.js";
import { onFlowText } from "../flow-handlers.js";
import { encode } from "../keyboards/callback-data.js";
import { refuse, respond, type Keyboard } from "../reply.js";
import { pagedKeyboard } from "../views/paging.js";

type BranchInviteRole = "BRANCH_SECRETARY" | "BRANCH_DEPUTY" | "MEMBER";

export async function showInviteMenu(ctx: BotContext): Promise<void> {
  if (!canInviteAnyone(ctx.actor)) return refuse(ctx, { code: "AUTH.FORBIDDEN" });
  const rows: Keyboard = [];
  if (ctx.actor.committeeRoles.includes("COMMITTEE_ADMIN"))
    rows.push([{ text: ctx.t("invite.committeeMember"), callback_data: encode("ik", "committee") }]);
  if (canAdministerCommune(ctx.actor)) {
    rows.push([{ text: ctx.t("invite.secretary"), callback_data: encode("ik", "secretary") }]);
    rows.push([{ text: ctx.t("invite.deputy"), callback_data: encode("ik", "deputy") }]);
  }
  rows.push([{ text: ctx.t("invite.member"), callback_data: encode("ik", "member") }]);
  rows.push([{ text: ctx.t("invite.pending"), callback_data: encode("ik", "pending") }]);
  await respond(ctx, ctx.t("invite.chooseKind"), rows);
}

async function showBranchChoice(ctx: BotContext, role: BranchInviteRole, page: number): Promise<void> {
  const scope = managedBranchIds(ctx.actor);
  if (scope !== "all" && scope.length === 1 && scope[0] !== undefined) return showCandidates(ctx, scope[0], role, 0);
  const branches = await listBranches(ctx.app, requestOf(ctx), page);
  if (!branches.ok) return refuse(ctx, branches);
  const buttons = branches.value.items.map((b) => ({ text: b.name, callback_data: encode("ip", b.id, role, 0) }));
  await respond(
    ctx,
    ctx.t("invite.chooseBranch"),
    pagedKeyboard(ctx.t, buttons, branches.value.page, branches.value.pages, (p) => encode("ib", role, p)),
  );
}

/** Roster entries of a branch that can receive this invitation. */
async function showCandidates(ctx: BotContext, branchId: number, role: BranchInviteRole, page: number): Promise<void> {
  if (!canInvite(ctx.actor, role, branchId)) return refuse(ctx, { code: "AUTH.FORBIDDEN" });
  // Members need a Telegram link; a secretary or deputy may be an already linked member getting a role.
  const result = await listMembers(ctx.app, requestOf(ctx), branchId, page, role === "MEMBER");
  if (!result.ok) return refuse(ctx, result);
  const roleText = ctx.t(`roles.${role}`);
  const buttons = result.value.items.map((m) => ({ text: m.fullName, callback_data: encode("mi", m.id, role) }));
  const extra: Keyboard =
    role === "MEMBER" ? [] : [[{ text: ctx.t("invite.newPerson"), callback_data: encode("in", branchId, role) }]];
  const title =
    result.value.total === 0 && role === "MEMBER"
      ? ctx.t("invite.noUnlinked", { branch: result.value.branchName })
      : ctx.t("invite.chooseMember", { branch: result.value.branchName, role: roleText });
  await respond(
    ctx,
    title,
    pagedKeyboard(ctx.t, buttons, result.value.page, result.value.pages, (p) => encode("ip", branchId, role, p), extra),
  );
}

async function sendInvitation(ctx: BotContext, target: InvitationTarget): Promise<void> {
  const result = await createInvitation(ctx.app, requestOf(ctx), target);
  if (!result.ok) return refuse(ctx, result);
  await replyInvitation(ctx, result.value);
}

/** The link, to be passed on privately: who it is for, the role, when it expires. */
async function replyInvitation(ctx: BotContext, { code, invitation }: CreatedInvitation): Promise<void> {
  await ctx.reply(
    ctx.t("invite.created", {
      label: invitation.label,
      role: ctx.t(`roles.${invitation.role}`),
      link: deepLink(ctx.botUsername, code),
      expires: formatInstant(invitation.expiresAt, ctx.app.timeZone),
    }),
  );
}

async function showPending(ctx: BotContext): Promise<void> {
  const result = await listPendingInvitations(ctx.app, requestOf(ctx));
  if (!result.ok) return refuse(ctx, result);
  if (result.value.length === 0) return respond(ctx, ctx.t("invite.pendingEmpty"));
  const lines = result.value.map((inv) =>
    ctx.t("invite.pendingItem", {
      label: inv.label,
      role: ctx.t(`roles.${inv.role}`),
      expires: formatInstant(inv.expiresAt, ctx.app.timeZone),
    }),
  );
  const rows: Keyboard = result.value.map((inv) => [
    { text: ctx.t("invite.revoke", { label: inv.label }).slice(0, 60), callback_data: encode("ix", inv.id) },
  ]);
  await respond(ctx, [ctx.t("invite.pendingTitle", { count: result.value.length }), ...lines].join("\n"), rows);
}

export function invitationsFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command("moi", (ctx) => showInviteMenu(ctx));
  onAction(feature, "ik", async (ctx, [kind]) => {
    switch (kind) {
      case "committee": {
        if (!canInvite(ctx.actor, "COMMITTEE_OFFICE", null)) return refuse(ctx, { code: "AUTH.FORBIDDEN" });
        const rows: Keyboard = COMMITTEE_ROLES.map((role) => [
          { text: ctx.t(`roles.${role}`), callback_data: encode("ir", role) },
        ]);
        return respond(ctx, ctx.t("invite.chooseRole"), rows);
      }
      case "secretary":
        return showBranchChoice(ctx, "BRANCH_SECRETARY", 0);
      case "deputy":
        return showBranchChoice(ctx, "BRANCH_DEPUTY", 0);
      case "member":
        return showBranchChoice(ctx, "MEMBER", 0);
      case "pending":
        return showPending(ctx);
    }
  });
  onAction(feature, "ib", (ctx, [role, page]) => showBranchChoice(ctx, role, page));
  onAction(feature, "ip", (ctx, [branchId, role, page]) => showCandidates(ctx, branchId, role, page));

  onAction(feature, "ir", async (ctx, [role]) => {
    if (!canInvite(ctx.actor, role, null)) return refuse(ctx, { code: "AUTH.FORBIDDEN" });
    await ctx.flow.start("invite.committee", "label", { role });
    await ctx.reply(ctx.t("invite.askLabel", { role: ctx.t(`roles.${role}`) }));
  });
  onFlowText<{ role: CommitteeRole }>(feature, "invite.committee", async (ctx, state, text) => {
    const name = parseFullName(text);
    if (!name.ok) return refuse(ctx, name);
    await ctx.flow.clear();
    await sendInvitation(ctx, { role: state.data.role, memberId: null, label: name.value });
  });

  onAction(feature, "mi", async (ctx, [memberId, role]) => {
    await sendInvitation(ctx, { role, memberId, label: null });
  });

  // A secretary who is not on the roster yet: type their name, they are added as a full member
  // (a branch secretary must be one), and the link is bound to that new entry.
  onAction(feature, "in", async (ctx, [branchId, role]) => {
    if (!canInvite(ctx.actor, role, branchId)) return refuse(ctx, { code: "AUTH.FORBIDDEN" });
    await ctx.flow.start("invite.newPerson", "name", { branchId, role });
    await ctx.reply(ctx.t("invite.askLabel", { role: ctx.t(`roles.${role}`) }));
  });
  onFlowText<{ branchId: number; role: InvitationRole }>(feature, "invite.newPerson", async (ctx, state, text) => {
    const name = parseFullName(text);
    if (!name.ok) return refuse(ctx, name);
    const summary = ctx.t("invite.savedSummary", { label: name.value, role: ctx.t(`roles.${state.data.role}`) });
    const result = await inviteNewMember(
      ctx.app,
      savingRequest(ctx, state, summary),
      state.data.branchId,
      state.data.role,
      name.value,
    );
    if (!result.ok) return refuse(ctx, result);
    await ctx.flow.clear();
    await replyInvitation(ctx, result.value);
  });

  onAction(feature, "ix", async (ctx, [invitationId]) => {
    const result = await revokeInvitation(ctx.app, requestOf(ctx), invitationId);
    if (!result.ok) return refuse(ctx, result);
    await ctx.reply(ctx.t("invite.revoked", { label: result.value.label }));
    await showPending(ctx);
  });
  return feature;
}

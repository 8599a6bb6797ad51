// /chibo: the branches in the actor's scope, a branch's card, and creating a branch (committee).
import { Composer } from "telegraf";
import { checkNewBranchName, createBranch, listBranches, viewBranch } from "../../app/branches.js";
import { canCreateBranch, canInvite, isCommittee } from "../../domain/roles.js";
import { formatDate } from "../../i18n/format.js";
import type { BotContext } from "../context.js";
import type { FlowState } from "../flow.js";
import { requestOf, savingRequest } from "../context.js";
import { encode } from "../keyboards/callback-data.js";
import { onAction } from "../actions.js";
import { refuse, respond, type Keyboard } from "../reply.js";
import { pagedKeyboard } from "../views/paging.js";
import { onFlowAction, onFlowText } from "../flow-handlers.js";
import { parseTypedDate } from "../../domain/dates.js";

export async function showBranchList(ctx: BotContext, page: number): Promise<void> {
  const result = await listBranches(ctx.app, requestOf(ctx), page);
  if (!result.ok) return refuse(ctx, result);
  const { items, pages, total } = result.value;
  // A secretary or member with one branch goes straight to its card.
  if (!isCommittee(ctx.actor) && total === 1 && items[0]) return showBranchCard(ctx, items[0].id);
  const extra: Keyboard = canCreateBranch(ctx.actor)
    ? [[{ text: ctx.t("branches.add"), callback_data: encode("bn") }]]
    : [];
  const buttons = items.map((b) => ({
    text: ctx.t("branches.itemLabel", { name: b.name, count: b.activeMembers }),
    callback_data: encode("bv", b.id),
  }));
  const title = total === 0 ? ctx.t("branches.empty") : ctx.t("branches.listTitle", { total });
  await respond(
    ctx,
    title,
    pagedKeyboard(ctx.t, buttons, result.value.page, pages, (p) => encode("bl", p), extra),
  );
}

export async function showBranchCard(ctx: BotContext, branchId: number): Promise<void> {
  const result = await viewBranch(ctx.app, requestOf(ctx), branchId);
  if (!result.ok) return refuse(ctx, result);
  const card = result.value;
  const lines = [
    ctx.t("branches.card", {
      name: card.branch.name,
      founded: card.branch.foundedOn ? formatDate(card.branch.foundedOn) : ctx.t("common.none"),
      members: card.activeMembers,
    }),
  ];
  if (card.canManage) lines.push(ctx.t("branches.cardUnlinked", { count: card.unlinkedMembers }));
  lines.push(
    card.officers.length === 0
      ? ctx.t("branches.noOfficer")
      : card.officers
          .map((o) => ctx.t("branches.officer", { role: ctx.t(`roles.${o.role}` as "roles.MEMBER"), name: o.name }))
          .join("\n"),
  );
  const rows: Keyboard = [];
  if (card.canManage) {
    rows.push([{ text: ctx.t("branches.membersButton"), callback_data: encode("ml", branchId, 0) }]);
    rows.push([
      { text: ctx.t("branches.addMember"), callback_data: encode("ma", branchId) },
      { text: ctx.t("branches.importButton"), callback_data: encode("mm", branchId) },
    ]);
    if (canInvite(ctx.actor, "BRANCH_SECRETARY", branchId)) {
      rows.push([
        { text: ctx.t("branches.inviteSecretary"), callback_data: encode("ip", branchId, "BRANCH_SECRETARY", 0) },
        { text: ctx.t("branches.inviteDeputy"), callback_data: encode("ip", branchId, "BRANCH_DEPUTY", 0) },
      ]);
    }
  }
  if (isCommittee(ctx.actor)) rows.push([{ text: ctx.t("branches.backToList"), callback_data: encode("bl", 0) }]);
  await respond(ctx, lines.join("\n"), rows);
}

export function branchesFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command("chibo", (ctx) => showBranchList(ctx, 0));
  onAction(feature, "bl", (ctx, [page]) => showBranchList(ctx, page));
  onAction(feature, "bv", (ctx, [branchId]) => showBranchCard(ctx, branchId));
  onAction(feature, "bn", async (ctx) => {
    if (!canCreateBranch(ctx.actor)) return refuse(ctx, { code: "AUTH.FORBIDDEN" });
    await ctx.flow.start("branch.create", "name", {});
    await ctx.reply(ctx.t("branches.askName"));
  });
  const create = async (ctx: BotContext, state: FlowState<{ name?: string }>, foundedOn: string | null) => {
    const name = state.data.name ?? "";
    const result = await createBranch(
      ctx.app,
      savingRequest(ctx, state, ctx.t("branches.created", { name })),
      name,
      foundedOn,
    );
    if (!result.ok) return refuse(ctx, result);
    // The actor was read before the branch existed: it is now one of the commune's branches.
    if (!ctx.actor.communeBranchIds.includes(result.value.id))
      ctx.actor = { ...ctx.actor, communeBranchIds: [...ctx.actor.communeBranchIds, result.value.id] };
    await ctx.flow.clear();
    await ctx.reply(ctx.t("branches.created", { name: result.value.name }));
    await showBranchCard(ctx, result.value.id);
  };
  onFlowText<{ name?: string }>(feature, "branch.create", async (ctx, state, text) => {
    if (state.step === "name") {
      const name = await checkNewBranchName(ctx.app, requestOf(ctx), text);
      if (!name.ok) return refuse(ctx, name);
      await ctx.flow.update({ ...state, step: "founded", data: { name: name.value } });
      return ctx.reply(ctx.t("branches.askFounded"), {
        reply_markup: { inline_keyboard: [[{ text: ctx.t("common.skip"), callback_data: encode("fs", state.id) }]] },
      });
    }
    const founded = parseTypedDate(text);
    if (!founded.ok) return refuse(ctx, { code: founded.problem });
    await create(ctx, state, founded.date);
  });
  onFlowAction<"fs", { name?: string }>(feature, "fs", "branch.create", async (ctx, state) => {
    if (state.step !== "founded") return ctx.answerCbQuery(ctx.t("common.staleButton"));
    await create(ctx, state, null);
  });
  return feature;
}

// /nhanxet: members who work elsewhere but live in the branch's area (QĐ 213), and the yearly comment
// the residence branch writes on each; those still without one are marked.
import { Composer } from "telegraf";
import {
  addResidenceContact,
  recordResidenceComment,
  residenceContacts,
  viewResidenceContact,
} from "../../app/residence.js";
import { viewBranch } from "../../app/branches.js";
import { parseShortText } from "../../domain/attendance.js";
import { parseFullName } from "../../domain/members.js";
import { managedBranchIds } from "../../domain/roles.js";
import type { BotContext } from "../context.js";
import { requestOf, savingRequest } from "../context.js";
import { onAction } from "../actions.js";
import { onFlowText } from "../flow-handlers.js";
import { encode } from "../keyboards/callback-data.js";
import { refuse, type Keyboard } from "../reply.js";

const ADD = "residence.add";
const COMMENT = "residence.comment";

async function showContacts(ctx: BotContext, branchId: number): Promise<void> {
  const result = await residenceContacts(ctx.app, requestOf(ctx), branchId);
  if (!result.ok) return refuse(ctx, result);
  const card = await viewBranch(ctx.app, requestOf(ctx), branchId);
  const { year, contacts } = result.value;
  const lines = contacts.map((c) =>
    ctx.t("away.residenceLine", { mark: c.comment ? "✅" : "⏳", name: c.fullName, org: c.workplaceOrg }),
  );
  const rows: Keyboard = contacts
    .slice(0, 40)
    .map((c) => [{ text: `${c.comment ? "✅" : "⏳"} ${c.fullName}`, callback_data: encode("rc", c.id) }]);
  rows.push([{ text: ctx.t("away.residenceAdd"), callback_data: encode("rA", branchId) }]);
  const title = ctx.t("away.residenceTitle", { branch: card.ok ? card.value.branch.name : "", year });
  await ctx.reply([title, ...(lines.length > 0 ? lines : [ctx.t("away.residenceEmpty")])].join("\n").slice(0, 4000), {
    reply_markup: { inline_keyboard: rows },
  });
}

export function residenceFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command("nhanxet", async (ctx) => {
    const scope = managedBranchIds(ctx.actor);
    if (scope !== "all" && scope.length > 0 && scope[0] !== undefined) return showContacts(ctx, scope[0]);
    return refuse(ctx, { code: "AUTH.FORBIDDEN" });
  });
  onAction(feature, "rA", async (ctx, [branchId]) => {
    const card = await viewBranch(ctx.app, requestOf(ctx), branchId);
    if (!card.ok || !card.value.canManage) return refuse(ctx, card.ok ? { code: "AUTH.FORBIDDEN" } : card);
    await ctx.flow.start(ADD, "name", { branchId });
    await ctx.reply(ctx.t("away.residenceNameAsk"));
  });
  onFlowText<{ branchId: number; name?: string }>(feature, ADD, async (ctx, state, text) => {
    if (state.step === "name") {
      const name = parseFullName(text);
      if (!name.ok) return refuse(ctx, name);
      await ctx.flow.update({ ...state, step: "org", data: { ...state.data, name: name.value } });
      return ctx.reply(ctx.t("away.residenceOrgAsk"));
    }
    const org = parseShortText(text, 200);
    if (!org.ok) return refuse(ctx, org);
    const result = await addResidenceContact(
      ctx.app,
      savingRequest(ctx, state, `${ctx.t("away.residenceAdded")} ${state.data.name!} — ${org.value}`),
      state.data.branchId,
      state.data.name!,
      org.value,
    );
    await ctx.flow.clear();
    if (!result.ok) return refuse(ctx, result);
    await ctx.reply(ctx.t("away.residenceAdded"));
    await showContacts(ctx, state.data.branchId);
  });
  onAction(feature, "rc", async (ctx, [contactId]) => {
    const contact = await viewResidenceContact(ctx.app, requestOf(ctx), contactId);
    if (!contact.ok) return refuse(ctx, contact);
    await ctx.flow.start(COMMENT, "text", { contactId, name: contact.value.fullName, year: contact.value.year });
    await ctx.reply(ctx.t("away.residenceCommentAsk", { year: contact.value.year, name: contact.value.fullName }));
  });
  onFlowText<{ contactId: number; name?: string; year?: number }>(feature, COMMENT, async (ctx, state, text) => {
    const comment = parseShortText(text, 1000);
    if (!comment.ok) return refuse(ctx, comment);
    const summary = ctx.t("away.residenceCommented", { year: state.data.year ?? "", name: state.data.name ?? "" });
    const result = await recordResidenceComment(
      ctx.app,
      savingRequest(ctx, state, summary),
      state.data.contactId,
      comment.value,
    );
    await ctx.flow.clear();
    if (!result.ok) return refuse(ctx, result);
    await ctx.reply(ctx.t("away.residenceCommented", { year: result.value.year, name: result.value.fullName }));
  });
  return feature;
}

// A branch's Telegram group. In a group the bot answers commands with one short line pointing to the
// private chat (naming nobody), except /lienketnhom from a branch officer, which sends the officer a
// confirmation in private; it greets the group when added and unlinks it when removed. Everything else
// typed in a group is left alone. The confirmation's buttons are handled with the private features.
import { Composer } from "telegraf";
import {
  answerGroupLink,
  groupLeft,
  linkedGroup,
  requestGroupLink,
  type GroupLinkAsk,
} from "../../app/branch-groups.js";
import { translator } from "../../i18n/index.js";
import { onAction } from "../actions.js";
import { requestOf, type BotContext } from "../context.js";
import { encode } from "../keyboards/callback-data.js";
import { refuse, respond } from "../reply.js";

/** The officer's question in private, in their language. */
function wordLinkAsk(ask: GroupLinkAsk) {
  const t = translator(ask.locale === "en" ? "en" : "vi");
  return {
    text: t("branchGroup.confirmAsk", { title: ask.title, branch: ask.branchName }),
    buttons: [
      [
        { text: t("branchGroup.confirmYes"), callback_data: encode("gY", ask.requestId) },
        { text: t("branchGroup.confirmNo"), callback_data: encode("gN", ask.requestId) },
      ],
    ],
  };
}

/** Updates from groups, before the private-chat features: nothing here reads or shows member data. */
export function groupChatsFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.use(async (ctx, next) => {
    if (!ctx.chat || ctx.chat.type === "private") return next();
    const chatId = String(ctx.chat.id);
    // The group reads in Vietnamese, whoever typed.
    const t = translator("vi");
    if (ctx.myChatMember) {
      const status = ctx.myChatMember.new_chat_member.status;
      if (status === "left" || status === "kicked") return groupLeft(ctx.app, requestOf(ctx), chatId);
      if (status === "member" || status === "administrator") await ctx.reply(t("branchGroup.added"));
      return;
    }
    if (ctx.callbackQuery) return void (await ctx.answerCbQuery().catch(() => undefined));
    const text = ctx.message && "text" in ctx.message ? ctx.message.text : undefined;
    const command = text ? /^\/([A-Za-z0-9_]+)(?:@(\w+))?/.exec(text) : null;
    // Conversation in the group is the members' own; a command for another bot is not ours.
    if (!command || (command[2] && command[2].toLowerCase() !== ctx.botUsername.toLowerCase())) return;
    const bot = ctx.botUsername;
    if (command[1]!.toLowerCase() !== "lienketnhom")
      return void (await ctx.reply(t("branchGroup.privateOnly", { bot })));
    const title = "title" in ctx.chat ? ctx.chat.title : chatId;
    const result = await requestGroupLink(ctx.app, requestOf(ctx), { chatId, title }, wordLinkAsk);
    if (result.ok) return void (await ctx.reply(t("branchGroup.requested")));
    await ctx.reply(
      t(result.code === "GROUP.MANY_BRANCHES" ? "branchGroup.chooseBranchInPrivate" : "branchGroup.notSecretary", {
        bot,
      }),
    );
  });
  return feature;
}

/** /lichhop's line about the branch's group, for those who run the branch; null for anyone else. */
export async function groupStatusLine(ctx: BotContext, branchId: number): Promise<string | null> {
  const group = await linkedGroup(ctx.app, requestOf(ctx), branchId);
  if (!group.ok) return null;
  return group.value
    ? ctx.t("branchGroup.statusLinked", { title: group.value.title })
    : ctx.t("branchGroup.statusNone", { bot: ctx.botUsername });
}

/** The officer's confirmation in private. */
export function branchGroupFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  const answer = async (ctx: BotContext, requestId: number, confirm: boolean) => {
    const result = await answerGroupLink(ctx.app, requestOf(ctx), requestId, confirm, (branch) =>
      translator("vi")("branchGroup.groupLinked", { branch }),
    );
    if (!result.ok) return refuse(ctx, result);
    await respond(
      ctx,
      ctx.t(confirm ? "branchGroup.linked" : "branchGroup.declined", {
        title: result.value.title,
        branch: result.value.branchName,
      }),
    );
  };
  // Typed in private: how linking works (it is done from the group).
  feature.command("lienketnhom", (ctx) => ctx.reply(ctx.t("branchGroup.howTo", { bot: ctx.botUsername })));
  onAction(feature, "gY", (ctx, [requestId]) => answer(ctx, requestId, true));
  onAction(feature, "gN", (ctx, [requestId]) => answer(ctx, requestId, false));
  return feature;
}

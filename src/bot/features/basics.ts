// Conversation basics: /start (with or without an invitation), /help, /menu, /cancel, /lang.
import { Composer, Markup } from "telegraf";
import { redeemInvitation } from "../../app/invitations.js";
import { identifyActor } from "../../app/identify-actor.js";
import { setLocale } from "../../app/preferences.js";
import { isStranger, type Actor } from "../../domain/roles.js";
import { translator } from "../../i18n/index.js";
import type { BotContext } from "../context.js";
import { requestOf } from "../context.js";
import { onAction } from "../actions.js";
import { helpLines, registerChatCommands } from "../commands.js";
import { decode, encode } from "../keyboards/callback-data.js";
import { refuse, respond } from "../reply.js";
import { menuKeyboard } from "../views/menu-keyboard.js";

function rolesLine(ctx: BotContext, actor: Actor): string {
  const roles = [...actor.provinceRoles, ...actor.committeeRoles, ...actor.branchRoles.map((r) => r.role)].map((role) =>
    ctx.t(`roles.${role}`),
  );
  if (actor.member && roles.length === 0) roles.push(ctx.t("roles.MEMBER"));
  return ctx.t("start.yourRoles", { roles: [...new Set(roles)].join(", ") });
}

async function greet(ctx: BotContext, actor: Actor): Promise<void> {
  const lines = [ctx.t("start.welcome", { name: actor.member?.fullName ?? actor.displayName }), rolesLine(ctx, actor)];
  await ctx.reply([...lines, ctx.t("start.hint")].join("\n"), menuKeyboard(ctx.t, actor));
  // The command menu follows the role; Telegram failing here must not spoil the greeting.
  await registerChatCommands(ctx.telegram, ctx.chat!.id, actor, ctx.locale).catch((error: unknown) =>
    ctx.log.warn({ err: error }, "setMyCommands failed"),
  );
}

export async function showHelp(ctx: BotContext): Promise<void> {
  const lines = helpLines(ctx.actor).map((key) => ctx.t(key));
  await ctx.reply([ctx.t("help.title"), ...lines].join("\n"));
}

export function basicsFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  feature.start(async (ctx) => {
    const code = ctx.payload.trim();
    if (code) {
      const result = await redeemInvitation(ctx.app, ctx.from, code, ctx.now);
      if (!result.ok) {
        await refuse(ctx, result);
        if (isStranger(ctx.actor)) await ctx.reply(ctx.t("start.stranger"));
        return;
      }
      ctx.actor = await identifyActor(ctx.app, ctx.from);
      // One message: who they are now, where, and what to do first.
      const { role, name, branchName } = result.value;
      const text = ctx.t("start.linked", {
        name,
        role: ctx.t(`roles.${role}`),
        branch: branchName ? ctx.t("start.linkedBranch", { branch: branchName }) : "",
        next: ctx.t(`start.next.${role}`),
      });
      await ctx.reply(text, menuKeyboard(ctx.t, ctx.actor));
      await registerChatCommands(ctx.telegram, ctx.chat.id, ctx.actor, ctx.locale).catch((error: unknown) =>
        ctx.log.warn({ err: error }, "setMyCommands failed"),
      );
      return;
    }
    await greet(ctx, ctx.actor);
  });

  feature.help(showHelp);

  feature.command("menu", async (ctx) => {
    await ctx.reply(ctx.t("menu.opened"), menuKeyboard(ctx.t, ctx.actor));
  });

  feature.command("cancel", async (ctx) => {
    const state = await ctx.flow.get();
    await ctx.flow.clear();
    await ctx.reply(
      state ? ctx.t("common.cancelled") : ctx.t("common.nothingToCancel"),
      menuKeyboard(ctx.t, ctx.actor),
    );
  });
  // The cancel button of any flow: it carries the flow's id, so it ends that flow and no later one. One handler
  // for every flow, so a new flow's cancel button cannot be left without one.
  feature.on("callback_query", async (ctx, next) => {
    const decoded = decode("data" in ctx.callbackQuery ? ctx.callbackQuery.data : undefined);
    if (decoded?.action !== "fn") return next();
    const state = await ctx.flow.get();
    if (!state || state.id !== decoded.args[0]) return next();
    await ctx.flow.clear();
    await respond(ctx, ctx.t("common.cancelled"));
    await ctx.answerCbQuery().catch(() => undefined);
  });

  feature.command("lang", async (ctx) => {
    await ctx.reply(
      ctx.t("lang.choose"),
      Markup.inlineKeyboard([
        Markup.button.callback("Tiếng Việt", encode("lg", "vi")),
        Markup.button.callback("English", encode("lg", "en")),
      ]),
    );
  });
  onAction(feature, "lg", async (ctx, [locale]) => {
    const result = await setLocale(ctx.app, requestOf(ctx), locale);
    if (!result.ok) return refuse(ctx, result);
    ctx.locale = locale;
    ctx.t = translator(locale);
    await respond(ctx, ctx.t("lang.changed"));
    await ctx.reply(ctx.t("menu.opened"), menuKeyboard(ctx.t, ctx.actor));
    await registerChatCommands(ctx.telegram, ctx.chat!.id, ctx.actor, locale).catch((error: unknown) =>
      ctx.log.warn({ err: error }, "setMyCommands failed"),
    );
  });
  return feature;
}

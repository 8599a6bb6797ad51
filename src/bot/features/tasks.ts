// /nhiemvu: a member's own tasks (mark done), and a secretary's branch's open tasks.
import { Composer } from "telegraf";
import { branchOpenTasks, markTaskDone, ownTasks, type TaskRecord } from "../../app/tasks.js";
import { isoDateIn } from "../../domain/dates.js";
import { managedBranchIds } from "../../domain/roles.js";
import { formatDate } from "../../i18n/format.js";
import type { BotContext } from "../context.js";
import { requestOf } from "../context.js";
import { onAction } from "../actions.js";
import { encode } from "../keyboards/callback-data.js";
import { refuse, type Keyboard } from "../reply.js";

function mark(ctx: BotContext, task: TaskRecord): string {
  if (task.doneAt) return ctx.t("tasks.done");
  return task.dueDate < isoDateIn(ctx.now, ctx.app.timeZone) ? ctx.t("tasks.overdue") : ctx.t("tasks.open");
}

function doneButtons(ctx: BotContext, tasks: TaskRecord[]): Keyboard {
  return tasks
    .filter((t) => !t.doneAt)
    .slice(0, 10)
    .map((t) => [
      { text: ctx.t("tasks.markDone", { description: t.description }).slice(0, 60), callback_data: encode("td", t.id) },
    ]);
}

export async function showTasks(ctx: BotContext): Promise<void> {
  const scope = managedBranchIds(ctx.actor);
  if (scope !== "all" && scope.length > 0 && scope[0] !== undefined) {
    const result = await branchOpenTasks(ctx.app, requestOf(ctx), scope[0]);
    if (!result.ok) return refuse(ctx, result);
    const { branchName, tasks } = result.value;
    if (tasks.length === 0) return void (await ctx.reply(ctx.t("tasks.branchEmpty", { branch: branchName })));
    const lines = tasks.map((t) =>
      ctx.t("tasks.itemWithName", {
        status: mark(ctx, t),
        name: t.memberName,
        description: t.description,
        due: formatDate(t.dueDate),
      }),
    );
    await ctx.reply([ctx.t("tasks.branchTitle", { branch: branchName }), ...lines].join("\n").slice(0, 4000), {
      reply_markup: { inline_keyboard: doneButtons(ctx, tasks) },
    });
    return;
  }
  const result = await ownTasks(ctx.app, requestOf(ctx));
  if (!result.ok) return void (await ctx.reply(ctx.t("attendance.notMember")));
  if (result.value.length === 0) return void (await ctx.reply(ctx.t("tasks.ownEmpty")));
  const lines = result.value.map((t) =>
    ctx.t("tasks.item", {
      status: mark(ctx, t),
      description: t.description,
      due: formatDate(t.dueDate),
      meeting: formatDate(t.meetingDate),
    }),
  );
  await ctx.reply([ctx.t("tasks.ownTitle"), ...lines].join("\n").slice(0, 4000), {
    reply_markup: { inline_keyboard: doneButtons(ctx, result.value) },
  });
}

export function tasksFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command("nhiemvu", (ctx) => showTasks(ctx));
  onAction(feature, "td", async (ctx, [taskId]) => {
    const result = await markTaskDone(ctx.app, requestOf(ctx), taskId);
    if (!result.ok) return refuse(ctx, result);
    await ctx.reply(ctx.t("tasks.markedDone", { description: result.value.description }));
  });
  return feature;
}

// Builds the bot from its dependencies. Middleware order matters: errors are caught first; updates
// of one chat are sequenced, and claimed across processes; the context (actor, language, flow) is set; strangers are stopped; then
// the features, and last whatever nobody handled.
import { Telegraf } from "telegraf";
import type { Logger } from "pino";
import type { AppDeps } from "../app/deps.js";
import type { Locale } from "../i18n/index.js";
import type { BotContext } from "./context.js";
import type { ChatPorts } from "./ports.js";
import { basicsFeature, showHelp } from "./features/basics.js";
import { branchesFeature, showBranchList } from "./features/branches.js";
import { fallbackFeature } from "./features/fallback.js";
import { invitationsFeature, showInviteMenu } from "./features/invitations.js";
import { memberAddFeature } from "./features/member-add.js";
import { memberEditFeature } from "./features/member-edit.js";
import { membersFeature, showMembersEntry } from "./features/members.js";
import { menuFeature, type MenuScreens } from "./features/menu.js";
import { rosterImportFeature } from "./features/roster-import.js";
import { absenceExplanationsFeature } from "./features/absence-explanations.js";
import { attendanceStatsFeature, showAttendanceEntry, showOwnYear } from "./features/attendance-stats.js";
import { meetingScheduleFeature } from "./features/meeting-schedule.js";
import { meetingsFeature, startMeetingEntry } from "./features/meetings.js";
import { meetingMinutesFeature } from "./features/meeting-minutes.js";
import { meetingNoticesFeature, noticeRows } from "./features/meeting-notices.js";
import { branchGroupFeature, groupChatsFeature, groupStatusLine } from "./features/branch-group.js";
import { showTasks, tasksFeature } from "./features/tasks.js";
import { duesFeature, showDuesEntry } from "./features/dues.js";
import { duesMemberFeature } from "./features/dues-member.js";
import { duesRatesFeature, openRates } from "./features/dues-rates.js";
import { checkinsFeature, receiveCheckinFile } from "./features/checkins.js";
import { exemptionsFeature } from "./features/exemptions.js";
import { residenceFeature } from "./features/residence.js";
import { selfReviewFileReceivers, selfReviewsFeature } from "./features/self-reviews.js";
import { transfersFeature } from "./features/transfers.js";
import { uploadsFeature } from "./features/uploads.js";
import { alertsFeature } from "./features/alerts.js";
import { settingsFeature } from "./features/settings.js";
import { reportsFeature, showReportEntry } from "./features/reports.js";
import { provinceFeature, showCommunes, showProvinceReportEntry } from "./features/province.js";
import { awayProfileFeature } from "./features/away-profile.js";
import { fullExportFeature } from "./features/full-export.js";
import { evaluationFeature } from "./features/evaluation.js";
import { contextSetup } from "./middleware/context-setup.js";
import { errorBoundary } from "./middleware/error-boundary.js";
import { privateChatsOnly } from "./middleware/private-only.js";
import { provinceGate } from "./middleware/province-gate.js";
import { UpdateSequencer } from "./middleware/sequence.js";
import { strangerGate } from "./middleware/stranger-gate.js";
import { updateGate } from "./middleware/update-gate.js";
import { isRetryLater } from "./ports.js";
import { audienceOf, isProvince } from "../domain/roles.js";

/**
 * /baocao: the commune's or the branch's report, and for a province officer the report over every commune
 * (both, one after the other, for someone who holds a role in a commune and one in the province).
 */
async function showReports(ctx: BotContext): Promise<void> {
  if (audienceOf(ctx.actor) !== "province") await showReportEntry(ctx);
  if (isProvince(ctx.actor)) await showProvinceReportEntry(ctx);
}

export interface BotDeps {
  app: AppDeps;
  /** The conversation store and the processed-update log: all the chat layer touches besides use cases. */
  ports: ChatPorts;
  logger: Logger;
  /** The composition root's clock: read once per update. */
  clock: () => Date;
  token: string;
  apiRoot: string;
  defaultLocale: Locale;
  /** Whether an error means the server cannot store anything (src/db/errors.ts). */
  isStorageFailure: (error: unknown) => boolean;
  /** Hears of errors that mean the server cannot store anything (to alert the admins). */
  onStorageFailure?: (error: unknown) => void;
}

export interface ChiboBot {
  bot: Telegraf<BotContext>;
  sequencer: UpdateSequencer;
}

/** What each reply-keyboard label opens: the same screen as its command. */
const MENU_SCREENS: MenuScreens = {
  chibo: (ctx) => showBranchList(ctx, 0),
  dangvien: showMembersEntry,
  moi: showInviteMenu,
  help: showHelp,
  diemdanh: startMeetingEntry,
  chuyencan: showAttendanceEntry,
  cuatoi: showOwnYear,
  nhiemvu: showTasks,
  dangphi: showDuesEntry,
  baocao: showReports,
  xa: showCommunes,
};

export function createBot(deps: BotDeps): ChiboBot {
  const bot = new Telegraf<BotContext>(deps.token, { telegram: { apiRoot: deps.apiRoot }, handlerTimeout: 60_000 });
  const sequencer = new UpdateSequencer();
  bot.use(errorBoundary(deps.logger, deps.defaultLocale, deps.isStorageFailure, deps.onStorageFailure));
  bot.use(sequencer.middleware());
  bot.use(updateGate(deps.ports.updates));
  bot.use(
    contextSetup({
      app: deps.app,
      ports: deps.ports,
      logger: deps.logger,
      clock: deps.clock,
      defaultLocale: deps.defaultLocale,
      botUsername: () => bot.botInfo?.username ?? "",
    }),
  );
  // Groups first: a linked branch group gets its one-line answers; nothing else passes the private-only gate.
  bot.use(groupChatsFeature());
  bot.use(privateChatsOnly());
  bot.use(strangerGate());
  bot.use(provinceGate());
  bot.use(basicsFeature());
  bot.use(menuFeature(MENU_SCREENS));
  bot.use(branchesFeature());
  bot.use(membersFeature());
  bot.use(memberAddFeature());
  bot.use(memberEditFeature());
  bot.use(invitationsFeature());
  bot.use(rosterImportFeature());
  bot.use(meetingsFeature());
  bot.use(meetingMinutesFeature());
  bot.use(meetingScheduleFeature({ noticeRows, groupStatusLine }));
  bot.use(meetingNoticesFeature());
  bot.use(branchGroupFeature());
  bot.use(absenceExplanationsFeature());
  bot.use(attendanceStatsFeature());
  bot.use(tasksFeature());
  bot.use(duesFeature());
  bot.use(duesMemberFeature({ openRates }));
  bot.use(duesRatesFeature());
  bot.use(exemptionsFeature());
  bot.use(checkinsFeature());
  bot.use(selfReviewsFeature());
  bot.use(transfersFeature());
  bot.use(residenceFeature());
  bot.use(alertsFeature());
  bot.use(settingsFeature());
  bot.use(provinceFeature({ showReports }));
  bot.use(reportsFeature());
  bot.use(awayProfileFeature());
  bot.use(fullExportFeature());
  bot.use(evaluationFeature());
  bot.use(uploadsFeature([...selfReviewFileReceivers, receiveCheckinFile]));
  bot.use(fallbackFeature());
  // Last resort: the boundary above catches handler errors; this keeps polling alive if it throws itself.
  // An update whose chat another process kept locked fails: the webhook answers an error and Telegram
  // delivers it again.
  bot.catch((error) => {
    if (isRetryLater(error)) throw error;
    deps.logger.error({ err: error }, "unhandled bot error");
  });
  return { bot, sequencer };
}

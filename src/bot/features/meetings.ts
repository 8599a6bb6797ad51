// /diemdanh: record a branch meeting — kind, date, the one-message attendance sheet, reasons for
// excused absences, topic, resolution, tasks, a confirm screen and one transactional save — and
// correct a saved meeting with the same sheet.
// The handlers live in ./meetings/: the start and the sheet, the details after it, the save, corrections.
import { Composer } from "telegraf";
import type { BotContext } from "../context.js";
import { meetingCorrectionHandlers } from "./meetings/corrections.js";
import { meetingDetailsHandlers } from "./meetings/details.js";
import { meetingSaveHandlers } from "./meetings/save.js";
import { meetingSheetHandlers } from "./meetings/sheet.js";

export { startMeetingEntry } from "./meetings/sheet.js";
export { wordAbsenceNotice } from "./meetings/save.js";

export function meetingsFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.use(meetingSheetHandlers(), meetingDetailsHandlers(), meetingSaveHandlers(), meetingCorrectionHandlers());
  return feature;
}

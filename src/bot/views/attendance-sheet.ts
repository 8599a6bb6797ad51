// The one-message attendance sheet: live counts on top, a page of member buttons that cycle
// ✅ → 🟡 → ❌, shortcuts, paging, and "continue".
import type { ExpectedSheetRow, MeetingDraft, SheetRow } from "../../app/attendance-sheet.js";
import { draftCounts } from "../../app/record-meeting.js";
import { attendanceRate } from "../../domain/attendance.js";
import { formatDate, formatPercent } from "../../i18n/format.js";
import type { Locale, Translate } from "../../i18n/index.js";
import { encode } from "../keyboards/callback-data.js";
import type { Keyboard } from "../reply.js";
import { pageNavRow } from "./paging.js";

export const SHEET_PAGE_SIZE = 10;

const MARKS: Record<string, string> = { PRESENT: "✅", EXCUSED: "🟡", UNEXCUSED: "❌" };

export function isExpectedRow(row: SheetRow): row is ExpectedSheetRow {
  return row.status === "PRESENT" || row.status === "EXCUSED" || row.status === "UNEXCUSED";
}

export function sheetPages(draft: MeetingDraft): number {
  return Math.max(1, Math.ceil(draft.rows.length / SHEET_PAGE_SIZE));
}

export function rateText(t: Translate, locale: Locale, draft: Pick<MeetingDraft, "rows">): string {
  const rate = attendanceRate(draftCounts(draft));
  return rate === null ? t("meetings.rateNone") : formatPercent(rate, locale);
}

export function renderSheet(
  t: Translate,
  flowId: string,
  draft: MeetingDraft,
  page: number,
): { text: string; keyboard: Keyboard } {
  const counts = draftCounts(draft);
  const text = [
    t("meetings.sheetTitle", {
      branch: draft.branchName,
      kind: t(`meetings.kinds.${draft.kind}`),
      date: formatDate(draft.date),
      editing: draft.meetingId ? t("meetings.sheetEditing") : "",
    }),
    t("meetings.sheetCounts", { ...counts }),
    t("meetings.sheetHint"),
  ].join("\n");
  const pages = sheetPages(draft);
  const current = Math.min(Math.max(page, 0), pages - 1);
  const keyboard: Keyboard = draft.rows.slice(current * SHEET_PAGE_SIZE, (current + 1) * SHEET_PAGE_SIZE).map((row) =>
    isExpectedRow(row)
      ? [
          {
            text: `${MARKS[row.status]} ${row.name}${row.status === "EXCUSED" && row.reason ? ` (${row.reason})` : ""}`.slice(
              0,
              120,
            ),
            callback_data: encode("st", flowId, row.memberId),
          },
        ]
      : [
          {
            text: `${t("meetings.notExpectedMark")} ${row.name} (${t(`meetings.notExpectedCause.${row.status}`)})`,
            callback_data: encode("sx", flowId, row.memberId),
          },
        ],
  );
  keyboard.push([
    { text: t("meetings.allPresent"), callback_data: encode("sa", flowId) },
    { text: t("meetings.reset"), callback_data: encode("sr", flowId) },
  ]);
  if (pages > 1) keyboard.push(pageNavRow(t, current, pages, (p) => encode("sp", flowId, p)));
  keyboard.push([
    { text: t("meetings.continue"), callback_data: encode("sn", flowId) },
    { text: t("common.cancel"), callback_data: encode("fn", flowId) },
  ]);
  return { text, keyboard };
}

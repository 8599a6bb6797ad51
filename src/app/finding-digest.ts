// Digests: a scan that would send one person more than `threshold` notices sends them one message instead,
// with the counts per rule and branch, the first few notices, and /canhbao for the rest. The notices
// themselves are still recorded for that person (DIGESTED: told, not sent alone), so a finding withdrawn
// later is told to them as to anyone told of it.
import type { NewNotification } from "../db/repositories/outbox.js";
import { branchLabel, findingRuleName } from "../i18n/findings.js";
import { translator, type Locale } from "../i18n/index.js";
import type { NamedFinding } from "./alerts.js";

export const DIGEST_KIND = "finding_digest";
/** Notices quoted in a digest, each cut to its first line. */
const FIRST_NOTICES = 3;
const QUOTE_LENGTH = 160;

export interface ScanNotice {
  notification: NewNotification;
  finding: NamedFinding;
  locale: Locale;
}

const firstLine = (text: string) => {
  const line = text.split("\n").find((part) => part.trim() !== "") ?? "";
  return line.length > QUOTE_LENGTH ? `${line.slice(0, QUOTE_LENGTH - 1)}…` : line;
};

/** The notices to queue: as they are for people with at most `threshold`, digested for the others. */
export function digestCrowded(notices: readonly ScanNotice[], threshold: number, scanKey: string): NewNotification[] {
  const byRecipient = new Map<string, ScanNotice[]>();
  for (const notice of notices) {
    const list = byRecipient.get(notice.notification.recipientTelegramId);
    if (list) list.push(notice);
    else byRecipient.set(notice.notification.recipientTelegramId, [notice]);
  }
  const queued: NewNotification[] = [];
  for (const [recipient, list] of byRecipient) {
    if (list.length <= threshold) {
      queued.push(...list.map((notice) => notice.notification));
      continue;
    }
    const locale = list[0]!.locale;
    const t = translator(locale);
    const counts = new Map<string, number>();
    for (const { finding } of list) {
      const line = t("alerts.digest.line", {
        rule: findingRuleName(t, finding),
        branch: branchLabel(finding.branchName, locale),
        count: "{count}",
      });
      counts.set(line, (counts.get(line) ?? 0) + 1);
    }
    const lines = [...counts]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], locale))
      .map(([line, count]) => line.replace("{count}", String(count)));
    const text = [
      t("alerts.digest.title", { count: list.length }),
      ...lines,
      "",
      t("alerts.digest.first"),
      ...list
        .slice(0, FIRST_NOTICES)
        .map((notice) => t("alerts.digest.item", { text: firstLine(noticeSentence(notice.notification.text)) })),
      "",
      t("alerts.digest.more"),
    ].join("\n");
    queued.push(...list.map((notice) => ({ ...notice.notification, digested: true })));
    queued.push({ kind: DIGEST_KIND, subject: "scan", period: scanKey, recipientTelegramId: recipient, text });
  }
  return queued;
}

/** A finding's notice is "severity — rule" then the sentence: the sentence says more in one line. */
function noticeSentence(text: string): string {
  const lines = text.split("\n").filter((line) => line.trim() !== "");
  return lines.length > 1 ? lines[1]! : (lines[0] ?? "");
}

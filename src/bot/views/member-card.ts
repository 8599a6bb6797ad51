import type { MemberRecord } from "../../app/members.js";
import { formatDate } from "../../i18n/format.js";
import type { Translate } from "../../i18n/index.js";

export function memberCardText(t: Translate, member: Omit<MemberRecord, "id" | "branchId" | "isAway" | "statePaper"> & { state: string; statePaper?: string | null }): string {
  const date = (value: string | null) => (value ? formatDate(value) : t("common.none"));
  return t("members.card", {
    name: member.fullName,
    branch: member.branchName,
    kind: t(`kinds.${member.kind}`),
    state: t(`states.${member.state}` as "states.ACTIVE"),
    since:
      member.stateSince && member.state !== "ACTIVE"
        ? member.statePaper
          ? t("members.sincePaper", { date: formatDate(member.stateSince), paper: member.statePaper })
          : t("members.since", { date: formatDate(member.stateSince) })
        : "",
    birth: date(member.birthDate),
    // A member received by transfer whose dates the letter did not give: say they are to be completed.
    join: member.joinDate ? formatDate(member.joinDate) : t("members.toComplete"),
    official: member.officialDate ? formatDate(member.officialDate) : member.kind === "OFFICIAL" ? t("members.toComplete") : t("common.none"),
    arrival: member.arrivalDate ? t("members.arrival", { date: formatDate(member.arrivalDate) }) : "",
    phone: member.phone ?? t("common.none"),
    residence: member.residence ?? t("common.none"),
    workplace: member.workplace ?? t("common.none"),
    telegram: member.linkedTelegramId ? t("members.telegramLinked") : t("members.telegramNotLinked"),
  });
}

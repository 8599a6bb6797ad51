// A member's card: its text, and the screen with the buttons the actor may use (members, edits and
// transfers all end on it).
import { viewMember, type MemberRecord } from "../../app/members.js";
import { formatDate } from "../../i18n/format.js";
import type { Translate } from "../../i18n/index.js";
import { requestOf, type BotContext } from "../context.js";
import { encode } from "../keyboards/callback-data.js";
import { refuse, respond, type Keyboard } from "../reply.js";

export function memberCardText(
  t: Translate,
  member: Omit<MemberRecord, "id" | "branchId" | "isAway" | "statePaper"> & {
    state: string;
    statePaper?: string | null;
  },
): string {
  const date = (value: string | null) => (value ? formatDate(value) : t("common.none"));
  return t("members.card", {
    name: member.fullName,
    branch: member.branchName,
    kind: t(`kinds.${member.kind}`),
    state: t(`states.${member.state}`),
    since:
      member.stateSince && member.state !== "ACTIVE"
        ? member.statePaper
          ? t("members.sincePaper", { date: formatDate(member.stateSince), paper: member.statePaper })
          : t("members.since", { date: formatDate(member.stateSince) })
        : "",
    birth: date(member.birthDate),
    // A member received by transfer whose dates the letter did not give: say they are to be completed.
    join: member.joinDate ? formatDate(member.joinDate) : t("members.toComplete"),
    official: member.officialDate
      ? formatDate(member.officialDate)
      : member.kind === "OFFICIAL"
        ? t("members.toComplete")
        : t("common.none"),
    arrival: member.arrivalDate ? t("members.arrival", { date: formatDate(member.arrivalDate) }) : "",
    phone: member.phone ?? t("common.none"),
    residence: member.residence ?? t("common.none"),
    workplace: member.workplace ?? t("common.none"),
    telegram: member.linkedTelegramId ? t("members.telegramLinked") : t("members.telegramNotLinked"),
  });
}

export async function showMemberCard(ctx: BotContext, memberId: number): Promise<void> {
  const result = await viewMember(ctx.app, requestOf(ctx), memberId);
  if (!result.ok) return refuse(ctx, result);
  const member = result.value;
  const rows: Keyboard = [];
  const can = new Set(member.actions);
  const first: Keyboard[number] = [];
  if (can.has("edit")) first.push({ text: ctx.t("members.edit"), callback_data: encode("me", member.id) });
  if (can.has("offRoster")) first.push({ text: ctx.t("members.deactivate"), callback_data: encode("mx", member.id) });
  if (first.length > 0) rows.push(first);
  if (can.has("delete")) rows.push([{ text: ctx.t("members.deleteMistake"), callback_data: encode("mz", member.id) }]);
  if (can.has("awayProfile"))
    rows.push([
      { text: ctx.t("away.profileButton"), callback_data: encode("wP", member.id) },
      ...(member.isAway ? [{ text: ctx.t("away.backButton"), callback_data: encode("wR", member.id) }] : []),
    ]);
  if (can.has("invite"))
    rows.push([{ text: ctx.t("members.invite"), callback_data: encode("mi", member.id, "MEMBER") }]);
  if (can.has("unlink")) rows.push([{ text: ctx.t("members.unlink"), callback_data: encode("mu", member.id) }]);
  if (can.has("undo")) rows.push([{ text: ctx.t("members.leaving.undo"), callback_data: encode("mR", member.id) }]);
  if (member.canManage)
    rows.push([{ text: ctx.t("members.backToList"), callback_data: encode("ml", member.branchId, 0) }]);
  await respond(ctx, memberCardText(ctx.t, member), rows);
}

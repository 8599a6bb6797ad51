// The reply keyboard of a role's main actions (/menu). Labels are matched back to commands by menu.ts.
import { Markup } from "telegraf";
import { audienceOf, canAdministerProvince, canInviteAnyone, isProvince, type Actor } from "../../domain/roles.js";
import type { MessageKey, Translate } from "../../i18n/index.js";
import type { CommandName } from "../commands.js";
import { inRows } from "../keyboards/rows.js";

export const MENU_ITEMS: { key: MessageKey; command: CommandName; visible: (actor: Actor) => boolean }[] = [
  { key: "menu.branches", command: "chibo", visible: (a) => audienceOf(a) === "committee" },
  {
    key: "menu.myBranch",
    command: "chibo",
    visible: (a) => audienceOf(a) === "secretary" || audienceOf(a) === "member",
  },
  {
    key: "menu.members",
    command: "dangvien",
    visible: (a) => audienceOf(a) === "committee" || audienceOf(a) === "secretary",
  },
  { key: "menu.myProfile", command: "dangvien", visible: (a) => audienceOf(a) === "member" },
  {
    key: "menu.attendance",
    command: "diemdanh",
    visible: (a) => audienceOf(a) === "committee" || audienceOf(a) === "secretary",
  },
  {
    key: "menu.dues",
    command: "dangphi",
    visible: (a) => audienceOf(a) === "committee" || audienceOf(a) === "secretary",
  },
  {
    key: "menu.stats",
    command: "chuyencan",
    visible: (a) => audienceOf(a) === "committee" || audienceOf(a) === "secretary",
  },
  {
    key: "menu.reports",
    command: "baocao",
    visible: (a) => audienceOf(a) === "committee" || audienceOf(a) === "secretary" || isProvince(a),
  },
  { key: "menu.communes", command: "xa", visible: (a) => canAdministerProvince(a) },
  { key: "menu.mine", command: "cuatoi", visible: (a) => a.member !== null },
  { key: "menu.tasks", command: "nhiemvu", visible: (a) => a.member !== null },
  { key: "menu.invite", command: "moi", visible: (a) => canInviteAnyone(a) },
  { key: "menu.help", command: "help", visible: () => true },
];

export function menuKeyboard(t: Translate, actor: Actor) {
  const labels = MENU_ITEMS.filter((item) => item.visible(actor)).map((item) => t(item.key));
  return Markup.keyboard(inRows(labels, 2)).resize().persistent();
}

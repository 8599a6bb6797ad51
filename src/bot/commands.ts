// Which commands each audience may use: drives /help and the command menu (setMyCommands).
import type { Telegram } from "telegraf";
import { audienceOf, canAdministerProvince, isProvince, type Actor, type Audience } from "../domain/roles.js";
import { LOCALES, translator, type Locale, type MessageKey } from "../i18n/index.js";

export type CommandName =
  | "start"
  | "help"
  | "menu"
  | "cancel"
  | "lang"
  | "chibo"
  | "dangvien"
  | "moi"
  | "huylienket"
  | "diemdanh"
  | "lichhop"
  | "lienketnhom"
  | "chuyencan"
  | "cuatoi"
  | "nhiemvu"
  | "dangphi"
  | "xinmien"
  | "capnhat"
  | "tukiemdiem"
  | "chuyen"
  | "nhanxet"
  | "canhbao"
  | "caidat"
  | "xuatdulieu"
  | "baocao"
  | "danhgia"
  | "xa";

const BASIC: CommandName[] = ["start", "help", "menu", "cancel", "lang"];

export const COMMANDS_BY_AUDIENCE: Record<Audience, CommandName[]> = {
  stranger: ["start", "help"],
  member: [
    ...BASIC,
    "chibo",
    "dangvien",
    "cuatoi",
    "nhiemvu",
    "lichhop",
    "xinmien",
    "capnhat",
    "tukiemdiem",
    "huylienket",
  ],
  secretary: [
    ...BASIC,
    "chibo",
    "dangvien",
    "diemdanh",
    "dangphi",
    "chuyencan",
    "nhiemvu",
    "lichhop",
    "lienketnhom",
    "xinmien",
    "capnhat",
    "tukiemdiem",
    "chuyen",
    "nhanxet",
    "canhbao",
    "baocao",
    "danhgia",
    "moi",
    "cuatoi",
    "huylienket",
  ],
  committee: [
    ...BASIC,
    "chibo",
    "dangvien",
    "diemdanh",
    "dangphi",
    "chuyencan",
    "lichhop",
    "xinmien",
    "capnhat",
    "tukiemdiem",
    "canhbao",
    "baocao",
    "danhgia",
    "caidat",
    "xuatdulieu",
    "moi",
  ],
  // Province roles: the communes (admins), the report over every commune, the province-wide defaults.
  province: [...BASIC, "xa", "baocao", "caidat"],
};

/** Province commands only the deployment's admins use: the communes (the offices read the defaults in /caidat). */
const PROVINCE_ADMIN_COMMANDS: readonly CommandName[] = ["xa"];

/**
 * The commands one person has: their audience's, and for a province officer also the province's (a commune's
 * committee member or secretary who holds a province role keeps both). /xa is the admins'.
 */
export function commandsOf(actor: Actor): CommandName[] {
  const own = COMMANDS_BY_AUDIENCE[audienceOf(actor)];
  if (!isProvince(actor)) return own;
  const province = COMMANDS_BY_AUDIENCE.province.filter(
    (command) => canAdministerProvince(actor) || !PROVINCE_ADMIN_COMMANDS.includes(command),
  );
  if (audienceOf(actor) === "province") return province;
  return [...own, ...province.filter((command) => !own.includes(command))];
}

/** /help lines: some commands read differently for members and secretaries. */
export function helpKey(command: CommandName, audience: Audience): MessageKey {
  if (audience === "province" && (command === "baocao" || command === "caidat")) return `help.${command}Province`;
  if (command === "chibo" && audience !== "committee") return "help.chiboOwn";
  if (command === "dangvien" && audience === "member") return "help.dangvienSelf";
  if (command === "nhiemvu" && audience === "secretary") return "help.nhiemvuBranch";
  // Officers and the committee read the list of members away; only a member sends their own news.
  if (command === "capnhat" && audience !== "member") return "help.capnhatOfficer";
  return `help.${command}`;
}

/** The command menu's words: /capnhat is a list for officers and the committee. */
function commandKey(command: CommandName, audience: Audience): MessageKey {
  if (audience === "province" && command === "caidat") return "commands.caidatProvince";
  return command === "capnhat" && audience !== "member" ? "commands.capnhatOfficer" : `commands.${command}`;
}

export function commandList(audience: Audience, locale: Locale): { command: string; description: string }[] {
  const t = translator(locale);
  return COMMANDS_BY_AUDIENCE[audience].map((command) => ({ command, description: t(commandKey(command, audience)) }));
}

/**
 * What a group's menu offers: only /lienketnhom, the one command the bot answers in a group (a branch officer
 * links the group with it; anyone else is told politely that only the secretary or deputy can).
 */
export const GROUP_COMMANDS: CommandName[] = ["lienketnhom"];

export function groupCommandList(locale: Locale): { command: string; description: string }[] {
  const t = translator(locale);
  return GROUP_COMMANDS.map((command) => ({ command, description: t(`commands.${command}`) }));
}

/** The default menu (strangers' commands) and the groups' menu, for every language. */
export async function registerDefaultCommands(telegram: Telegram): Promise<void> {
  await telegram.setMyCommands(commandList("stranger", "vi"));
  for (const locale of LOCALES)
    await telegram.setMyCommands(commandList("stranger", locale), { language_code: locale });
  const groups = { type: "all_group_chats" } as const;
  await telegram.setMyCommands(groupCommandList("vi"), { scope: groups });
  for (const locale of LOCALES)
    await telegram.setMyCommands(groupCommandList(locale), { scope: groups, language_code: locale });
}

/** /help's lines for one person: a province command they hold beside a commune role reads as the province's. */
export function helpLines(actor: Actor): MessageKey[] {
  const audience = audienceOf(actor);
  const own = COMMANDS_BY_AUDIENCE[audience];
  const lines = commandsOf(actor).map((command) => helpKey(command, own.includes(command) ? audience : "province"));
  // /baocao of a committee member or secretary who is also a province officer opens both reports.
  if (audience !== "province" && isProvince(actor) && own.includes("baocao")) lines.push("help.baocaoProvince");
  return lines;
}

/** A known user's own command menu, scoped to their private chat. */
export async function registerChatCommands(
  telegram: Telegram,
  chatId: number,
  actor: Actor,
  locale: Locale,
): Promise<void> {
  const t = translator(locale);
  const audience = audienceOf(actor);
  const own = COMMANDS_BY_AUDIENCE[audience];
  const commands = commandsOf(actor).map((command) => ({
    command,
    description: t(commandKey(command, own.includes(command) ? audience : "province")),
  }));
  await telegram.setMyCommands(commands, { scope: { type: "chat", chat_id: chatId } });
}

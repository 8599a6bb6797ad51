// What may be posted in a branch's Telegram group. Everyone in a group reads everything posted there, and
// not everyone in it is entitled to member data: only messages about the branch as a whole (a meeting
// notice, a general reminder, the link's confirmation) may go to a group, never anything about one person
// (dues owed, alerts, absences, self-reviews). The outbox refuses anything else addressed to a group chat,
// and the sender checks again before it sends.

/**
 * Outbox kinds written for groups: their texts name no member. Besides the meeting notice and the link's
 * confirmation, the general reminders addressed to the whole branch: the meeting the day before, dues after
 * the month's meeting, the self-review season's opening and its due date.
 */
export const GROUP_MESSAGE_KINDS = [
  "group_meeting_notice",
  "group_meeting_reminder",
  "group_linked",
  "group_dues_reminder",
  "group_self_review_open",
  "group_self_review_due",
] as const;
export type GroupMessageKind = (typeof GROUP_MESSAGE_KINDS)[number];

/** Telegram gives groups, supergroups and channels negative chat ids; people's private chats are positive. */
export function isGroupChat(chatId: string): boolean {
  return /^-\d+$/.test(chatId.trim());
}

/** Whether a message of this kind may be sent to this chat. */
export function mayPostTo(kind: string, chatId: string): boolean {
  return !isGroupChat(chatId) || (GROUP_MESSAGE_KINDS as readonly string[]).includes(kind);
}

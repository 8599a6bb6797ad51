// How a meeting notice reads: to a member (with the buttons to answer), the day-before reminder, and the
// post in the branch's group, which names no member. Used by the chat and by the scheduled job alike.
import type { MemberNotice, NoticeDetails, NoticeWordings } from "../../app/meeting-notices.js";
import { formatDate } from "../../i18n/format.js";
import { translator, type Translate } from "../../i18n/index.js";
import { encode } from "../keyboards/callback-data.js";

/** "Chi bộ Ấp 1 sinh hoạt thường kỳ lúc 19:30 ngày 05/01/2027 tại Nhà văn hóa ấp 1. Nội dung: …" */
export function noticeSentence(t: Translate, notice: NoticeDetails): string {
  return t("meetingNotices.sentence", {
    branch: notice.branchName,
    kind: t(`meetings.kinds.${notice.kind}`),
    time: notice.time ? t("meetingNotices.atTime", { time: notice.time }) : "",
    date: formatDate(notice.date),
    place: notice.place ? t("meetingNotices.atPlace", { place: notice.place }) : "",
    topic: notice.topic ? t("meetingNotices.topic", { topic: notice.topic }) : "",
  });
}

export function answerButtons(t: Translate, noticeId: number) {
  return [
    [
      { text: t("meetingNotices.attend"), callback_data: encode("nA", noticeId) },
      { text: t("meetingNotices.excuse"), callback_data: encode("nE", noticeId) },
    ],
  ];
}

const tOf = (notice: MemberNotice) => translator(notice.recipient.locale === "en" ? "en" : "vi");

export const noticeWordings: NoticeWordings = {
  member: (notice) => {
    const t = tOf(notice);
    return {
      text: t("meetingNotices.member", { sentence: noticeSentence(t, notice) }),
      buttons: answerButtons(t, notice.noticeId),
    };
  },
  reminder: (notice) => {
    const t = tOf(notice);
    return {
      text: t("meetingNotices.reminder", { sentence: noticeSentence(t, notice) }),
      buttons: answerButtons(t, notice.noticeId),
    };
  },
  // A group is read by everyone in it: Vietnamese, the branch's meeting only, no names, no buttons.
  group: (notice) => {
    const t = translator("vi");
    return { text: t("meetingNotices.group", { sentence: noticeSentence(t, notice) }) };
  },
};

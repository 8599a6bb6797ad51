// Stable outcome codes from use cases and domain rules, mapped to catalog text.
import type { MessageKey } from "../i18n/index.js";

const ERROR_MESSAGES: Record<string, MessageKey> = {
  "AUTH.FORBIDDEN": "errors.forbidden",
  "BRANCH.NOT_FOUND": "errors.branchNotFound",
  "BRANCH.NAME_TAKEN": "errors.branchNameTaken",
  "BRANCH.NAME_INVALID": "errors.branchNameInvalid",
  "BRANCH.NAME_TOO_LONG": "errors.branchNameTooLong",
  "MEMBER.NOT_ON_ROSTER": "errors.memberNotOnRoster",
  "MEMBER.STATE_INVALID": "errors.memberStateInvalid",
  "MEMBER.NAME_EMPTY": "errors.nameEmpty",
  "MEMBER.NAME_TOO_LONG": "errors.nameTooLong",
  "MEMBER.NAME_INVALID": "errors.nameInvalid",
  "MEMBER.KIND_INVALID": "errors.kindInvalid",
  "MEMBER.PHONE_INVALID": "errors.phoneInvalid",
  "MEMBER.TEXT_TOO_LONG": "errors.textTooLong",
  "MEMBER.JOIN_BEFORE_ADULT": "errors.joinBeforeAdult",
  "MEMBER.OFFICIAL_BEFORE_JOIN": "errors.officialBeforeJoin",
  "DATE.FORMAT": "errors.dateFormat",
  "DATE.IMPOSSIBLE": "errors.dateImpossible",
  "DATE.FUTURE": "errors.dateFuture",
  "DATE.TOO_OLD": "errors.dateTooOld",
  "INVITE.INVALID": "errors.inviteInvalid",
  "INVITE.USED": "errors.inviteUsed",
  "INVITE.ALREADY_YOURS": "errors.inviteAlreadyYours",
  "INVITE.EXPIRED": "errors.inviteExpired",
  "INVITE.REVOKED": "errors.inviteRevoked",
  "INVITE.MEMBER_LINKED": "errors.inviteMemberLinked",
  "INVITE.ACCOUNT_LINKED": "errors.inviteAccountLinked",
  "INVITE.NEEDS_MEMBER": "errors.inviteNeedsMember",
  "INVITE.LABEL_INVALID": "errors.inviteLabelInvalid",
  "INVITE.NOT_PENDING": "errors.inviteNotPending",
  "LINK.NONE": "errors.linkNone",
  "IMPORT.NO_HEADER": "errors.importNoHeader",
  "IMPORT.NO_ROWS": "errors.importNoRows",
  "IMPORT.TOO_MANY_ROWS": "errors.importTooManyRows",
  "IMPORT.FILE_TOO_LARGE": "errors.importFileTooLarge",
  "IMPORT.FILE_EMPTY": "errors.importFileEmpty",
  "IMPORT.FILE_TYPE": "errors.importFileType",
  "IMPORT.FILE_UNREADABLE": "errors.importFileUnreadable",
  "IMPORT.HAS_ERRORS": "errors.importHasErrors",
  "IMPORT.DUPLICATE_IN_FILE": "errors.importDuplicateInFile",
  "IMPORT.ALREADY_ON_ROSTER": "errors.importAlreadyOnRoster",
  "FILE.DOWNLOAD_FAILED": "errors.fileDownloadFailed",
  "MEETING.BEFORE_BRANCH": "errors.meetingBeforeBranch",
  "MEETING.REGULAR_EXISTS": "errors.meetingRegularExists",
  "MEETING.ROSTER_CHANGED": "errors.meetingRosterChanged",
  "MEETING.REASON_MISSING": "errors.meetingReasonMissing",
  "MEETING.ALREADY_SAVED": "errors.meetingAlreadySaved",
  "MEETING.NOT_FOUND": "errors.meetingNotFound",
  "MEETING.TASK_INVALID": "errors.meetingTaskInvalid",
  "MEETING.DAY_INVALID": "errors.meetingDayInvalid",
  "MEETING.TIME_INVALID": "errors.meetingTimeInvalid",
  "TASK.DUE_BEFORE_MEETING": "errors.taskDueBeforeMeeting",
  "TASK.NOT_FOUND": "errors.taskNotFound",
  "TEXT.EMPTY": "errors.textEmpty",
  "TEXT.TOO_LONG": "errors.textTooLong",
  "EXPLANATION.NOT_ALLOWED": "errors.explanationNotAllowed",
  "EXPLANATION.PENDING": "errors.explanationPending",
  "EXPLANATION.DECIDED": "errors.explanationDecided",
};

/** Unknown codes fall back to the permission message: it reveals nothing. */
export function errorKey(code: string): MessageKey {
  return ERROR_MESSAGES[code] ?? "errors.forbidden";
}

export function knownErrorCodes(): string[] {
  return Object.keys(ERROR_MESSAGES);
}

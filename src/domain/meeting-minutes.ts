// A meeting's minutes (biên bản) as plain data: what src/app/meeting-minutes.ts gathers and
// src/files/meeting-minutes-docx.ts renders.
import type { AttendanceCounts, MeetingKind, NotExpectedCause } from "./attendance.js";

export interface MinutesPerson {
  name: string;
  title: "BRANCH_SECRETARY" | "BRANCH_DEPUTY" | null;
}

export interface MinutesData {
  meetingId: number;
  /** The commune's Đảng bộ, as the committee is named ("Đảng bộ xã Xuân Đông"). */
  committeeName: string;
  /** The place name the date line starts with ("Xuân Đông"). */
  placeName: string;
  /** "Chi bộ Ấp 1". */
  branchName: string;
  kind: MeetingKind;
  date: string;
  /** "HH:mm" when the notice or the schedule says it; null leaves a dotted line. */
  time: string | null;
  venue: string | null;
  topic: string | null;
  resolution: string | null;
  /**
   * Default chair: the secretary; default minute-taker: the deputy (their title is then known). The officer
   * may type other names (no title is guessed). Null leaves a dotted line.
   */
  chair: MinutesPerson | null;
  secretary: MinutesPerson | null;
  counts: AttendanceCounts;
  /** Everyone on the roll that day: expected or not. */
  onRoll: number;
  rate: number | null;
  excused: { name: string; reason: string | null }[];
  unexcused: string[];
  notExpected: { name: string; cause: NotExpectedCause }[];
  tasks: { name: string; description: string; dueDate: string }[];
}

// R10 TASK_OVERDUE: a task assigned at a meeting is past its due date and not marked done. The due date
// itself is still in time; the member and the secretary hear about it from the next day. Tasks feed the
// year-end evaluation, so an overdue one matters beyond the reminder.
import type { IsoDate } from "../dates.js";
import { assertToday, daysBetween, finding } from "./common.js";
import type { RuleParameters } from "./parameters.js";
import type { Finding } from "./types.js";

export interface TaskFacts {
  taskId: number;
  /** The member it was assigned to. */
  memberId: number;
  branchId: number;
  meetingId: number;
  due: IsoDate;
  /** What the task is, to name it in the message. */
  description?: string;
}

/** Tasks not marked done. */
export type TaskOverdueFacts = readonly TaskFacts[];

export function taskOverdueRule(facts: TaskOverdueFacts, today: string, _params?: RuleParameters): Finding[] {
  assertToday(today);
  const findings: Finding[] = [];
  for (const task of facts) {
    if (today <= task.due) continue;
    findings.push(
      finding(
        "R10_TASK_OVERDUE",
        { kind: "task", id: task.taskId, branchId: task.branchId },
        task.due,
        "warn",
        ["member", "secretary"],
        {
          memberId: task.memberId,
          meetingId: task.meetingId,
          due: task.due,
          daysOverdue: daysBetween(task.due, today),
          ...(task.description !== undefined ? { description: task.description } : {}),
        },
      ),
    );
  }
  return findings;
}

import { describe, expect, it } from "vitest";
import { DEFAULT_RULE_PARAMETERS as P } from "../../../src/domain/rules/parameters.js";
import { taskOverdueRule, type TaskFacts } from "../../../src/domain/rules/r10-task-overdue.js";

const task = (extra: Partial<TaskFacts> = {}): TaskFacts => ({
  taskId: 40,
  memberId: 7,
  branchId: 2,
  meetingId: 31,
  due: "2026-03-10",
  ...extra,
});

describe("R10 task overdue", () => {
  it("is in time on the due date and overdue the day after, for member and secretary", () => {
    expect(taskOverdueRule([task()], "2026-03-10", P)).toEqual([]);
    expect(taskOverdueRule([task()], "2026-03-11", P)).toEqual([
      {
        rule: "R10_TASK_OVERDUE",
        key: "R10_TASK_OVERDUE:task:40:2026-03-10",
        subject: { kind: "task", id: 40, branchId: 2 },
        period: "2026-03-10",
        severity: "warn",
        audience: ["member", "secretary"],
        facts: { memberId: 7, meetingId: 31, due: "2026-03-10", daysOverdue: 1 },
      },
    ]);
  });

  it("counts the days overdue across month ends", () => {
    expect(taskOverdueRule([task({ due: "2026-02-28" })], "2026-03-02", P)[0]!.facts.daysOverdue).toBe(2);
  });

  it("stable keys; a moved due date is a new period", () => {
    const run = () => taskOverdueRule([task(), task({ taskId: 41 })], "2026-04-01", P).map((f) => f.key);
    expect(run()).toEqual(run());
    expect(taskOverdueRule([task({ due: "2026-03-20" })], "2026-04-01", P)[0]!.key).toBe(
      "R10_TASK_OVERDUE:task:40:2026-03-20",
    );
  });
});

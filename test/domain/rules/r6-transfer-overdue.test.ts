import { describe, expect, it } from "vitest";
import { DEFAULT_RULE_PARAMETERS as P } from "../../../src/domain/rules/parameters.js";
import { transferOverdueRule, type TransferFacts } from "../../../src/domain/rules/r6-transfer-overdue.js";

const transfer = (extra: Partial<TransferFacts> = {}): TransferFacts => ({
  transferId: 12,
  memberId: 7,
  branchId: 2,
  kind: "OFFICIAL",
  letterDate: "2026-02-10",
  ...extra,
});

describe("R6 transfer overdue", () => {
  it("counts 30 working days across Tết: a letter of 10/02/2026 is due 31/03/2026", () => {
    expect(transferOverdueRule([transfer()], "2026-03-31", P)).toEqual([]);
    expect(transferOverdueRule([transfer({ destination: "Đảng bộ phường X" })], "2026-04-01", P)).toEqual([
      {
        rule: "R6_TRANSFER_OVERDUE",
        key: "R6_TRANSFER_OVERDUE:transfer:12:2026-03-31",
        subject: { kind: "transfer", id: 12, branchId: 2 },
        period: "2026-03-31",
        severity: "warn",
        audience: ["secretary"],
        facts: {
          memberId: 7,
          transferKind: "OFFICIAL",
          letterDate: "2026-02-10",
          deadline: "2026-03-31",
          workingDays: 30,
          escalateAfter: "2026-05-10",
          destination: "Đảng bộ phường X",
        },
      },
    ]);
  });

  it("without the Tết holidays in the calendar the deadline would be a week earlier", () => {
    const noHolidays = { ...P, holidays: { dates: [], years: "all" as const } };
    expect(transferOverdueRule([transfer()], "2026-03-24", noHolidays)).toEqual([]);
    expect(transferOverdueRule([transfer()], "2026-04-01", noHolidays)[0]!.facts.deadline).toBe("2026-03-24");
  });

  it("escalates to the committee after 3 months from the letter, under the same key", () => {
    const warn = transferOverdueRule([transfer()], "2026-05-10", P)[0]!;
    const alert = transferOverdueRule([transfer()], "2026-05-11", P)[0]!;
    expect(warn).toMatchObject({ severity: "warn", audience: ["secretary"] });
    expect(alert).toMatchObject({ key: warn.key, severity: "alert", audience: ["secretary", "committee"] });
  });

  it("stable keys; a corrected letter date moves the deadline and so the key", () => {
    const run = () =>
      transferOverdueRule([transfer(), transfer({ transferId: 13, kind: "TEMPORARY" })], "2026-04-15", P).map(
        (f) => f.key,
      );
    expect(run()).toEqual(run());
    expect(run()).toEqual(["R6_TRANSFER_OVERDUE:transfer:12:2026-03-31", "R6_TRANSFER_OVERDUE:transfer:13:2026-03-31"]);
    expect(transferOverdueRule([transfer({ letterDate: "2026-02-09" })], "2026-04-15", P)[0]!.key).toBe(
      "R6_TRANSFER_OVERDUE:transfer:12:2026-03-30",
    );
  });
});

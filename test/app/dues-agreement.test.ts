// Property: over randomly generated members (joins, transfers in and out, rates changing, reductions and
// exemptions from dues, temporary exemptions of every kind, payments ahead and late, reversals), for every
// member and month, what each screen says is owed agrees — /cuatoi (the member's year), the member book
// (the branch's year sheet), the ledger export, the dues reminder and R2's facts — and agrees with an
// oracle written here from the rules: a month is owed only once reached, while the member is on this
// branch's books (from the later of admission and arrival to leaving), once a rate is set, not exempt, not
// paid, and not inside an approved temporary exemption (work away, illness, other) still running.
import { describe, expect, it } from "vitest";
import { branchLedger, branchMonthStatus, branchYearStatus, memberDuesYear } from "../../src/app/dues-status.js";
import { openMonthSheet } from "../../src/app/dues-payments.js";
import { queueDuesReminders } from "../../src/app/dues-reminders.js";
import { identifyActor } from "../../src/app/identify-actor.js";
import { gatherFacts } from "../../src/app/rule-scan.js";
import type { Db } from "../../src/db/client.js";
import { monthRange, type MonthKey } from "../../src/domain/dues.js";
import type { Actor } from "../../src/domain/roles.js";
import { seededRandom } from "../support/random.js";
import { appDepsFor, rawDatabase } from "../support/db.js";

const AT = new Date("2024-01-01T00:00:00Z");
const NOW = new Date("2026-11-20T03:00:00Z"); // 20/11/2026 in Vietnam
const CURRENT = "2026-11";
const SECRETARY = 9000;

interface Spec {
  id: number;
  joinDate: string | null;
  arrivalDate: string | null;
  leftOn: string | null;
  rates: { from: MonthKey; amount: number }[];
  exemptDues: { from: MonthKey; to: MonthKey | null } | null;
  reduction: { from: MonthKey; to: MonthKey; percent: number } | null;
  exemption: { kind: string; state: string; from: string; to: string } | null;
  paid: Set<MonthKey>;
}

const MONTHS = monthRange("2024-06", "2027-06");
const pad = (n: number) => String(n).padStart(2, "0");

async function seed(db: Db, seed: number): Promise<Spec[]> {
  const r = seededRandom(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(r() * items.length)]!;
  const dayIn = (month: MonthKey) => `${month}-${pad(1 + Math.floor(r() * 28))}`;
  await db.committee.create({ data: { id: 1, name: "Đảng bộ xã", placeName: "Xã", createdAt: AT } });
  await db.branch.create({
    data: { id: 1, committeeId: 1, name: "Chi bộ Ấp 1", foundedOn: "2000-01-01", meetingDay: 17, createdAt: AT },
  });
  // The secretary (member 1): always on the roster, linked and holding the role.
  const specs: Spec[] = [];
  let entry = 0;
  for (let id = 1; id <= 30; id++) {
    const joinDate =
      id === 1
        ? "2000-05-01"
        : r() < 0.15
          ? null
          : r() < 0.6
            ? "2005-03-01"
            : dayIn(pick(monthRange("2025-01", "2026-10")));
    const arrivalDate = id > 1 && r() < 0.25 ? dayIn(pick(monthRange("2025-03", "2026-10"))) : null;
    const leaves = id > 1 && r() < 0.2;
    const leftOn = leaves ? dayIn(pick(monthRange("2025-06", "2026-11"))) : null;
    const state = leaves ? pick(["TRANSFERRED_OUT", "REMOVED", "DECEASED"]) : r() < 0.1 ? "EXEMPT" : "ACTIVE";
    await db.member.create({
      data: {
        id,
        branchId: 1,
        fullName: `Đảng Viên ${id}`,
        sortKey: pad(id),
        joinDate,
        arrivalDate,
        kind: "OFFICIAL",
        state,
        stateSince: leftOn ?? "2020-01-01",
        createdAt: AT,
        updatedAt: AT,
      },
    });
    const user = await db.user.create({
      data: {
        telegramId: String(id === 1 ? SECRETARY : 5000 + id),
        displayName: `U${id}`,
        memberId: id,
        createdAt: AT,
      },
    });
    if (id === 1)
      await db.roleAssignment.create({
        data: { userId: user.id, role: "BRANCH_SECRETARY", branchId: 1, grantedAt: AT },
      });
    // Rates: most have one, some change it, a few none at all.
    const rates: Spec["rates"] = [];
    if (r() < 0.85) {
      rates.push({ from: pick(monthRange("2024-06", "2026-09")), amount: pick([10_000, 20_000, 50_000]) });
      if (r() < 0.35) rates.push({ from: pick(monthRange(rates[0]!.from, "2026-12")), amount: pick([30_000, 60_000]) });
    }
    for (const rate of rates)
      await db.duesRate.upsert({
        where: { memberId_effectiveMonth: { memberId: id, effectiveMonth: rate.from } },
        create: {
          memberId: id,
          effectiveMonth: rate.from,
          amount: rate.amount,
          basis: "MANUAL",
          createdAt: AT,
          createdByTelegramId: "seed",
        },
        update: { amount: rate.amount },
      });
    const exemptDues =
      r() < 0.1
        ? {
            from: pick(monthRange("2025-01", "2026-10")),
            to: r() < 0.5 ? null : pick(monthRange("2026-06", "2027-03")),
          }
        : null;
    if (exemptDues)
      await db.duesRelief.create({
        data: {
          memberId: id,
          kind: "EXEMPT",
          reason: "POOR_HOUSEHOLD",
          fromMonth: exemptDues.from,
          toMonth: exemptDues.to,
          createdAt: AT,
          createdByTelegramId: "seed",
        },
      });
    const reduction =
      r() < 0.15
        ? (() => {
            const from = pick(monthRange("2025-06", "2026-09"));
            return { from, to: pick(monthRange(from, "2027-02")).slice(0, 7), percent: pick([30, 50, 70]) };
          })()
        : null;
    if (reduction)
      await db.duesRelief.create({
        data: {
          memberId: id,
          kind: "REDUCED",
          percent: reduction.percent,
          reason: "REDUCTION",
          fromMonth: reduction.from,
          toMonth: reduction.to,
          createdAt: AT,
          createdByTelegramId: "seed",
        },
      });
    // Exemption requests of every kind, some running now, some over (ended early or not), some refused.
    let exemption: Spec["exemption"] = null;
    if (r() < 0.35) {
      const from = dayIn(pick(monthRange("2025-09", "2026-11")));
      const to = dayIn(pick(monthRange(from.slice(0, 7), "2027-04")));
      exemption = {
        kind: pick(["WORK_AWAY", "ILLNESS", "AGE", "OTHER"]),
        state: pick(["APPROVED", "APPROVED", "ENDED", "REJECTED"]),
        from,
        to: to < from ? from : to,
      };
      await db.exemptionRequest.create({
        data: {
          memberId: id,
          branchId: 1,
          kind: exemption.kind,
          reason: "—",
          fromDate: exemption.from,
          toDate: exemption.to,
          state: exemption.state,
          createdAt: AT,
          createdByTelegramId: "seed",
          updatedAt: new Date(`${exemption.to}T05:00:00Z`),
        },
      });
    }
    // Payments: a few months at a time, late or ahead; some reversed.
    const paid = new Set<MonthKey>();
    for (let p = 0; p < 1 + Math.floor(r() * 6); p++) {
      const start = MONTHS.indexOf(pick(monthRange("2025-01", "2027-01")));
      const months = MONTHS.slice(start, start + 1 + Math.floor(r() * 3)).filter((m) => !paid.has(m));
      if (months.length === 0) continue;
      entry++;
      await db.duesEntry.create({
        data: {
          id: entry,
          memberId: id,
          branchId: 1,
          kind: "PAYMENT",
          amount: 20_000 * months.length,
          recordedAt: new Date(`${pick(monthRange("2025-01", CURRENT))}-15T03:00:00Z`),
          recordedByTelegramId: "seed",
        },
      });
      for (const month of months)
        await db.duesEntryMonth.create({ data: { entryId: entry, memberId: id, branchId: 1, month, amount: 20_000 } });
      if (r() < 0.15) {
        const payment = entry;
        entry++;
        await db.duesEntry.create({
          data: {
            id: entry,
            memberId: id,
            branchId: 1,
            kind: "REVERSAL",
            amount: -20_000 * months.length,
            reversesEntryId: payment,
            recordedAt: AT,
            recordedByTelegramId: "seed",
          },
        });
        for (const month of months)
          await db.duesEntryMonth.create({
            data: { entryId: entry, memberId: id, branchId: 1, month, amount: -20_000 },
          });
        continue;
      }
      for (const month of months) {
        await db.duesMonthClaim.create({ data: { memberId: id, month, entryId: entry } });
        paid.add(month);
      }
    }
    specs.push({
      id,
      joinDate,
      arrivalDate,
      leftOn: leaves ? leftOn : null,
      rates,
      exemptDues,
      reduction,
      exemption,
      paid,
    });
  }
  return specs;
}

/** The oracle: the months of `months` this member owes now, from the rules, not from the code. */
function owedByRules(spec: Spec, months: readonly MonthKey[]): MonthKey[] {
  const monthOf = (date: string | null) => (date ? date.slice(0, 7) : null);
  const starts = [monthOf(spec.joinDate), monthOf(spec.arrivalDate)].filter((m): m is string => m !== null).sort();
  const from = starts[starts.length - 1] ?? null;
  const to = monthOf(spec.leftOn);
  const firstRate = spec.rates.map((r) => r.from).sort()[0];
  const deferring =
    spec.exemption &&
    ["WORK_AWAY", "ILLNESS", "OTHER"].includes(spec.exemption.kind) &&
    ["APPROVED", "ENDED"].includes(spec.exemption.state)
      ? spec.exemption
      : null;
  // An ENDED request here was ended (updatedAt) on its planned last day: its span is as approved.
  return months.filter((m) => {
    if (m > CURRENT) return false;
    if (from !== null && m < from) return false;
    if (to !== null && m > to) return false;
    if (firstRate === undefined || m < firstRate) return false;
    if (spec.exemptDues && m >= spec.exemptDues.from && (spec.exemptDues.to === null || m <= spec.exemptDues.to))
      return false;
    if (spec.paid.has(m)) return false;
    if (deferring && m >= deferring.from.slice(0, 7) && m <= deferring.to.slice(0, 7)) {
      // Deferred while the exemption runs: owed from the month after its last month.
      if (CURRENT <= deferring.to.slice(0, 7)) return false;
    }
    return true;
  });
}

const monthsInText = (text: string) =>
  [...text.matchAll(/tháng (\d{1,2})\/(\d{4})/g)].map((m) => `${m[2]}-${pad(Number(m[1]))}`).sort();

describe("what a member owes, everywhere", () => {
  const t = rawDatabase();

  it.each([1, 2, 3, 4])(
    "agrees between /cuatoi, the member book, the ledger export, the reminder, R2's facts and the rules (commune %i)",
    async (seedNumber) => {
      const specs = await seed(t.db, seedNumber);
      const deps = appDepsFor(t.testDb);
      const actor: Actor = await identifyActor(deps, { id: SECRETARY, first_name: "Bí thư" });
      const request = { actor, now: NOW };
      const thisYear = monthRange("2026-01", "2026-12");
      const lastYear = monthRange("2025-01", "2025-12");

      const book = await branchYearStatus(deps, request, 1, 2026);
      const ledger = await branchLedger(deps, request, 1, 2026);
      const facts = await gatherFacts(t.testDb.store.repos, "2026-11-20");
      await queueDuesReminders(deps, NOW);
      expect(book.ok && ledger.ok).toBe(true);
      if (!book.ok || !ledger.ok) return;

      let owing = 0;
      for (const spec of specs) {
        const expectedThisYear = owedByRules(spec, thisYear);
        const expectedBothYears = owedByRules(spec, [...lastYear, ...thisYear]);
        owing += expectedBothYears.length > 0 ? 1 : 0;
        const label = `member ${spec.id} ${JSON.stringify({ ...spec, paid: [...spec.paid] })}`;

        const own = await memberDuesYear(deps, request, spec.id);
        const ownOwed = own.ok ? own.value.status.months.filter((m) => m.state === "UNPAID").map((m) => m.month) : [];
        expect(ownOwed, `/cuatoi: ${label}`).toEqual(expectedThisYear);
        // Last year's arrears are shown too: the months the reminder and R2 count.
        expect([...(own.ok ? own.value.earlier.months : []), ...ownOwed], `/cuatoi with last year: ${label}`).toEqual(
          expectedBothYears,
        );

        const inBook =
          book.value.members
            .find((m) => m.memberId === spec.id)
            ?.status.months.filter((m) => m.state === "UNPAID")
            .map((m) => m.month) ?? [];
        expect(inBook, `member book: ${label}`).toEqual(expectedThisYear);

        const inLedger = ledger.value.rows.find((row) => row.memberId === spec.id)?.owedMonths ?? [];
        expect(inLedger, `ledger export: ${label}`).toEqual(expectedThisYear);

        const r2 = facts.R2_DUES?.find((m) => m.memberId === spec.id && !m.noRate)?.unpaidMonths ?? [];
        expect([...r2].sort(), `R2 facts: ${label}`).toEqual(expectedBothYears);

        const reminder = await t.db.notification.findFirst({
          where: { kind: "dues_owed", subject: `member:${spec.id}`, period: CURRENT },
        });
        const onRoster = spec.leftOn === null;
        expect(reminder ? monthsInText(reminder.text) : [], `dues reminder: ${label}`).toEqual(
          onRoster ? expectedBothYears : [],
        );
      }
      // The month's checklist and status count exactly the members on the books this month: nobody who left the
      // roster before it (their history stays in the book above), nobody who arrives later.
      const onBooksNow = specs
        .filter(
          (spec) =>
            owedByRules(
              { ...spec, rates: [{ from: "2000-01", amount: 1 }], exemptDues: null, exemption: null, paid: new Set() },
              [CURRENT],
            ).length > 0,
        )
        .map((s) => s.id);
      const sheet = await openMonthSheet(deps, request, 1, CURRENT);
      expect(sheet.ok && sheet.value.rows.map((r) => r.memberId).sort((a, b) => a - b)).toEqual(onBooksNow);
      const status = await branchMonthStatus(deps, request, 1, CURRENT);
      expect(
        status.ok &&
          [...status.value.paid, ...status.value.unpaid, ...status.value.exempt]
            .map((l) => l.memberId)
            .sort((a, b) => a - b),
      ).toEqual(onBooksNow);
      expect(onBooksNow.length).toBeLessThan(specs.length);
      // The random commune must owe something somewhere, or the comparison proves little.
      expect(owing).toBeGreaterThan(3);
    },
    60_000,
  );
});

// Members exempted from party work and meetings under Charter art. 7 (age, health): exempted by the branch on
// the roster (state EXEMPT, since stateSince), or by an approved age or illness request. Such members are not
// asked for the year-end self-review: R8 and the season's reminders read the same spans from here.
import { ARTICLE_7_EXEMPTION_KINDS } from "../domain/away.js";
import type { IsoDate } from "../domain/dates.js";
import { exemptionSpanOfRow } from "../domain/evaluation.js";
import { groupBy } from "../domain/collections.js";
import type { Repositories } from "../db/store.js";

export type Article7Spans = ReadonlyMap<number, { from: IsoDate; to: IsoDate | null }[]>;

/**
 * Every member's art. 7 exemption spans (members of `members` exempted on the roster, and approved requests: of
 * every commune's members, or of one commune's when `committeeId` is given).
 */
export async function article7Spans(
  repos: Repositories,
  members: readonly { memberId: number; state: string; stateSince: string | null }[],
  timeZone: string,
  committeeId: number | null = null,
): Promise<Article7Spans> {
  const requests = await repos.dues.exemptionSpansOfKinds(
    committeeId === null ? "all" : { committeeId },
    ARTICLE_7_EXEMPTION_KINDS,
  );
  const spans = [
    ...members
      .filter((m) => m.state === "EXEMPT")
      .map((m) => ({ memberId: m.memberId, from: m.stateSince ?? "0000-01-01", to: null })),
    ...requests.flatMap((row) => {
      const span = exemptionSpanOfRow(row, timeZone);
      return span ? [{ memberId: row.memberId, ...span }] : [];
    }),
  ];
  return new Map(
    [...groupBy(spans, (s) => s.memberId)].map(([id, list]) => [id, list.map(({ from, to }) => ({ from, to }))]),
  );
}

/** Whether one of the spans covers a day (both ends included). */
export function coversDay(spans: readonly { from: IsoDate; to: IsoDate | null }[] | undefined, day: IsoDate): boolean {
  return (spans ?? []).some((s) => s.from <= day && (s.to === null || day <= s.to));
}

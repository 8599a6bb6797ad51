// Open rule findings in the asker's scope, and recording the decision on one (which closes it; the
// history stays). Findings name their subject by id; the names are looked up for people.
import { auditActor, type AppDeps, type Request } from "./deps.js";
import { recordSave, savedBefore } from "./flow-saves.js";
import { fail, ok, type Outcome } from "../domain/outcome.js";
import { canManageBranch, isStranger, scopeOf, isCommittee } from "../domain/roles.js";
import type { FindingRecord } from "../db/repositories/findings.js";
import type { Repositories } from "../db/store.js";

import { FINDING_DECISIONS, type FindingDecision } from "../domain/rules/index.js";

export const DECISIONS = FINDING_DECISIONS;
export type Decision = FindingDecision;

export interface NamedFinding extends FindingRecord {
  /** The member concerned (the subject, or the member of a transfer, exemption or task); "" for a branch or meeting. */
  memberName: string;
  branchName: string;
  /** Names of the members a finding lists (R2's members without a dues amount). */
  memberNames: ReadonlyMap<number, string>;
}

const memberIdOf = (f: FindingRecord): number | null =>
  f.subjectKind === "member" ? f.subjectId : typeof f.facts.memberId === "number" ? f.facts.memberId : null;
const listedIds = (f: FindingRecord): number[] =>
  Array.isArray(f.facts.memberIds) ? f.facts.memberIds.filter((id): id is number => typeof id === "number") : [];

/** Adds the names a finding is told with (its member's, its branch's, those it lists): two queries for any number. */
export async function nameFindings(repos: Repositories, findings: readonly FindingRecord[]): Promise<NamedFinding[]> {
  const memberIds = [
    ...new Set(findings.flatMap((f) => [memberIdOf(f), ...listedIds(f)]).filter((id): id is number => id !== null)),
  ];
  const [members, branches] = await Promise.all([
    repos.members.namesOf(memberIds),
    repos.branches.namesOf([...new Set(findings.map((f) => f.branchId))]),
  ]);
  return findings.map((f) => {
    const memberId = memberIdOf(f);
    return {
      ...f,
      memberName: memberId === null ? "" : (members.get(memberId) ?? ""),
      branchName: branches.get(f.branchId) ?? "",
      memberNames: members,
    };
  });
}

/** Open findings shown per page of /canhbao. */
export const FINDINGS_PAGE = 10;

export interface FindingsPage {
  items: NamedFinding[];
  /** Every open finding in the asker's scope, not only this page's. */
  total: number;
  page: number;
  pages: number;
  /** The position in the whole list of this page's first item (0-based). */
  offset: number;
}

/** A page of the open findings in the asker's scope (a page past the end shows the last one). */
export async function openFindings(
  deps: AppDeps,
  { actor }: Request,
  requestedPage = 0,
): Promise<Outcome<FindingsPage>> {
  if (isStranger(actor)) return fail("AUTH.FORBIDDEN");
  const scope = scopeOf(actor);
  if (!isCommittee(actor) && scope.length === 0) return fail("AUTH.FORBIDDEN");
  const total = await deps.store.repos.findings.countOpen(scope);
  const pages = Math.max(1, Math.ceil(total / FINDINGS_PAGE));
  const page = Math.min(Math.max(0, requestedPage), pages - 1);
  const findings = await deps.store.repos.findings.open(scope, FINDINGS_PAGE, page * FINDINGS_PAGE);
  return ok({
    items: await nameFindings(deps.store.repos, findings),
    total,
    page,
    pages,
    offset: page * FINDINGS_PAGE,
  });
}

/** An open finding the asker may decide on, named for the decision prompt. */
export async function findingToHandle(deps: AppDeps, { actor }: Request, id: number): Promise<Outcome<NamedFinding>> {
  const finding = await deps.store.repos.findings.get(id);
  if (!finding || !canManageBranch(actor, finding.branchId)) return fail("AUTH.FORBIDDEN");
  if (finding.status !== "OPEN") return fail("FINDING.NOT_OPEN");
  const [named] = await nameFindings(deps.store.repos, [finding]);
  return ok(named!);
}

export async function handleFinding(
  deps: AppDeps,
  request: Request,
  id: number,
  decision: Decision,
  note: string | null,
): Promise<Outcome<NamedFinding>> {
  const { actor, now } = request;
  return deps.store.transaction(async (repos) => {
    const earlier = await savedBefore(repos, request);
    if (earlier) return earlier;
    const finding = await repos.findings.get(id);
    if (!finding || !canManageBranch(actor, finding.branchId)) return fail("AUTH.FORBIDDEN");
    if (!(await repos.findings.handle(id, decision, note, actor.telegramId, now))) return fail("FINDING.NOT_OPEN");
    await repos.audit.record({
      ...auditActor(actor),
      action: "finding.handle",
      entity: "Finding",
      entityId: id,
      before: { status: finding.status },
      after: { status: "HANDLED", decision, note },
      at: now,
    });
    const [named] = await nameFindings(repos, [{ ...finding, status: "HANDLED", decision, note }]);
    await recordSave(repos, request);
    return ok(named!);
  });
}

/** How a finding was decided, for an officer who came second: the decision, who (roster name) and when. */
export async function findingDecided(
  deps: AppDeps,
  { actor }: Request,
  id: number,
): Promise<Outcome<{ finding: NamedFinding; decision: Decision; byName: string; at: Date }>> {
  const finding = await deps.store.repos.findings.get(id);
  if (!finding || !canManageBranch(actor, finding.branchId)) return fail("AUTH.FORBIDDEN");
  const handling = await deps.store.repos.findings.handling(id);
  if (!handling) return fail("FINDING.NOT_OPEN");
  const by = await deps.store.repos.users.findByTelegramId(handling.handledByTelegramId);
  const [named] = await nameFindings(deps.store.repos, [finding]);
  return ok({
    finding: named!,
    decision: handling.decision,
    byName: by?.member?.fullName ?? by?.fullName ?? by?.displayName ?? "",
    at: handling.handledAt,
  });
}

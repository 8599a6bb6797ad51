// Who signs the documents the bot prints: the committee's secretary (Bí thư Đảng ủy) for the committee's
// reports and evaluation tally, a name the admin keeps in /caidat (audited); the branch's secretary for a
// branch's report and dues ledger, the member holding BRANCH_SECRETARY. Without a name the signature block
// keeps its dotted line, to be written by hand.
import { auditActor, type AppDeps, type Request } from "./deps.js";
import { recordSave, savedBefore } from "./flow-saves.js";
import { parseFullName } from "../domain/members.js";
import { fail, ok, type Outcome } from "../domain/outcome.js";
import type { Repositories } from "../db/store.js";
import { keepsDeploymentSettings } from "./committee.js";

/** The settings key of the committee secretary's name. */
export const COMMITTEE_SIGNER_KEY = "committeeSecretaryName";
/** What the admin types to clear the name (the dotted line comes back). */
export const CLEAR_SIGNER = "-";

/**
 * The committee secretary's name as the admin set it, or null. The name is a deployment-wide setting kept by
 * the first commune's admins (keepsDeploymentSettings): it is that commune's Bí thư Đảng ủy, never printed on,
 * nor shown to, another commune (`committeeId`, null for the first commune).
 */
export async function committeeSigner(repos: Repositories, committeeId: number | null): Promise<string | null> {
  if (committeeId !== null && (await repos.committee.get())?.id !== committeeId) return null;
  const value = (await repos.settings.all())[COMMITTEE_SIGNER_KEY];
  return typeof value === "string" && value.length > 0 ? value : null;
}

/** The signer of a document: the committee's secretary (branchId null; of that commune) or the branch's. */
export async function documentSigner(
  repos: Repositories,
  branchId: number | null,
  committeeId: number | null,
): Promise<string | null> {
  return branchId === null ? committeeSigner(repos, committeeId) : repos.users.holderName("BRANCH_SECRETARY", branchId);
}

/** The admin sets (or, with "-", clears) the committee secretary's name; checked, saved and audited. */
export async function changeCommitteeSigner(
  deps: AppDeps,
  request: Request,
  raw: string,
): Promise<Outcome<string | null>> {
  const { actor, now } = request;
  // A deployment-wide setting still (not per commune): the first commune's admins keep it.
  if (!(await keepsDeploymentSettings(deps, actor))) return fail("AUTH.FORBIDDEN");
  let name: string | null = null;
  if (raw.trim() !== CLEAR_SIGNER) {
    const parsed = parseFullName(raw);
    if (!parsed.ok) return parsed;
    name = parsed.value;
  }
  return deps.store.transaction(async (repos) => {
    const earlier = await savedBefore(repos, request);
    if (earlier) return earlier;
    const before = await committeeSigner(repos, actor.committeeId);
    await repos.settings.set(COMMITTEE_SIGNER_KEY, name ?? "", actor.telegramId, now);
    await repos.audit.record({
      ...auditActor(actor),
      action: "settings.change",
      entity: "Setting",
      entityId: COMMITTEE_SIGNER_KEY,
      before: { [COMMITTEE_SIGNER_KEY]: before },
      after: { [COMMITTEE_SIGNER_KEY]: name },
      at: now,
    });
    await recordSave(repos, request);
    return ok(name);
  });
}
